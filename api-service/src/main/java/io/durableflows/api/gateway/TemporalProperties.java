package io.durableflows.api.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code df.temporal.*}: {@code uiUrl} turns run records into Temporal UI links; {@code searchAttributes} sets
 * DfOrg/DfFlow/DfVersion on runs (the cluster must have them registered; the Java test server does not).
 */
@ConfigurationProperties("df.temporal")
public record TemporalProperties(String uiUrl, boolean searchAttributes, String namespace) {
  public TemporalProperties {
    namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
  }
}
