package io.durableflows.api.bootstrap;

import io.grpc.inprocess.InProcessChannelBuilder;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** When this JVM hosts the Temporal test server, its client and workers reach it in-process. */
@Configuration(proxyBeanMethods = false)
class EmbeddedTemporalChannel {
  @Bean
  TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder> inProcessTemporalChannel() {
    return builder -> EmbeddedStack.inProcessServerRunning()
        ? builder.setTarget(null).setChannel(InProcessChannelBuilder.forName(EmbeddedStack.IN_PROCESS_NAME).build())
        : builder;
  }
}
