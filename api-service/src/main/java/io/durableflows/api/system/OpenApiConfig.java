package io.durableflows.api.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfig {
  @Bean
  OpenAPI durableFlowsOpenApi() {
    return new OpenAPI()
        .info(new Info().title("Durable Flows API").version("v1")
            .description("Run LLM flows durably: every run is a Temporal workflow. Authenticate with an "
                + "organization token: Authorization: Bearer <token>."))
        .components(new Components().addSecuritySchemes("bearer",
            new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }
}
