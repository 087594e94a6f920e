package io.durableflows.api.bootstrap;

import io.durableflows.workers.WorkersConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Hosts the Temporal workers in the API's JVM: the embedded default, or {@code DF_EMBEDDED_WORKERS=true}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("df.workers.embedded")
@Import(WorkersConfiguration.class)
class EmbeddedWorkersConfiguration {}
