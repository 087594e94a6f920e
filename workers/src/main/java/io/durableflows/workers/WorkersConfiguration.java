package io.durableflows.workers;

import io.durableflows.activities.batches.JdbcBatchActivities;
import io.durableflows.activities.completions.CompletionActivitiesImpl;
import io.durableflows.activities.completions.CompletionRunner;
import io.durableflows.activities.context.JdbcContextActivities;
import io.durableflows.activities.evals.EvalActivitiesImpl;
import io.durableflows.activities.evals.EvalJobActivities;
import io.durableflows.activities.experiments.JdbcExperimentActivities;
import io.durableflows.activities.journal.CallJournal;
import io.durableflows.activities.journal.JdbcCallJournal;
import io.durableflows.activities.llm.LlmActivitiesImpl;
import io.durableflows.activities.llm.ModelChats;
import io.durableflows.activities.llm.ModelProviders;
import io.durableflows.activities.memory.MemoryActivitiesImpl;
import io.durableflows.activities.llm.StreamSettings;
import io.durableflows.activities.llm.WorkflowDeltaSink;
import io.durableflows.activities.secrets.JdbcSecrets;
import io.durableflows.activities.secrets.SecretsCipher;
import io.durableflows.activities.store.JdbcEvalStoreActivities;
import io.durableflows.activities.store.JdbcRunStoreActivities;
import io.durableflows.activities.tools.BuiltInToolActivities;
import io.durableflows.activities.tools.http.AddressGuard;
import io.durableflows.activities.tools.http.HostRules;
import io.durableflows.activities.tools.http.HttpToolExecutor;
import io.durableflows.workflows.run.UpdateFailureConverter;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/**
 * The workers' beans: activity implementations the Temporal starter registers by bean name (see
 * {@code df-workers.properties}, which also declares the worker and its workflow classes). Imported by the
 * workers' own application and, in the embedded default, by the API.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LlmProperties.class)
@PropertySource("classpath:df-workers.properties")
public class WorkersConfiguration {
  private static final Logger log = LoggerFactory.getLogger(WorkersConfiguration.class);

  @Bean
  ModelProviders modelProviders(LlmProperties properties) {
    ModelProviders providers = new ModelProviders(properties.activeProviders(), properties.defaultProvider(),
        properties.offlineWordDelay());
    log.info("LLM providers: {}; default: {}", providers.providers(), providers.defaultProvider());
    return providers;
  }

  /**
   * Task executors on virtual threads: many runs wait on providers at once, and a platform thread each costs. A
   * streaming model call mostly waits too, so one worker holds a thousand of them (the SDK's default is 200).
   * Heartbeats go out at most every {@code heartbeatThrottle} (the SDK's default is 80% of the heartbeat timeout):
   * a heartbeat's response is how a cancelled run reaches its model call, so this bounds how late it stops.
   */
  @Bean
  TemporalOptionsCustomizer<WorkerOptions.Builder> virtualThreadWorkers(
      @Value("${df.workers.heartbeat-throttle:500ms}") Duration heartbeatThrottle) {
    return builder -> builder.setUsingVirtualThreads(true).setMaxConcurrentWorkflowTaskPollers(8)
        .setMaxConcurrentActivityTaskPollers(8).setMaxConcurrentActivityExecutionSize(1000)
        .setMaxHeartbeatThrottleInterval(heartbeatThrottle).setDefaultHeartbeatThrottleInterval(heartbeatThrottle);
  }

  /**
   * Picked up by the Temporal starter for the client its workers use: keeps the failure type of a refused
   * answer (see {@link UpdateFailureConverter}), which the API turns into 404, 409, 410 or 400.
   */
  @Bean
  DataConverter mainDataConverter() {
    return UpdateFailureConverter.dataConverter();
  }

  @Bean
  CallJournal callJournal(DataSource dataSource) {
    return new JdbcCallJournal(dataSource);
  }

  @Bean
  LlmActivitiesImpl llmActivities(ModelProviders providers, WorkflowClient client, LlmProperties properties,
      CallJournal journal) {
    StreamSettings settings = properties.streamFlushInterval() == null ? StreamSettings.DEFAULT
        : new StreamSettings(properties.streamFlushInterval(), StreamSettings.DEFAULT.heartbeatInterval());
    return new LlmActivitiesImpl(providers, new WorkflowDeltaSink(client), settings, journal);
  }

  /**
   * Built-in and HTTP tools. HTTP tools read the org's secrets with {@code DF_SECRETS_KEY} (the API encrypts with
   * the same key; without it both use the local key file) and may reach private addresses only as
   * {@code DF_TOOLS_ALLOW_HOSTS} (comma-separated hosts, IPs, CIDRs) or the tool's own allowHosts permit.
   */
  @Bean
  BuiltInToolActivities toolActivities(CallJournal journal, DataSource dataSource,
      @Value("${df.secrets.key:}") String secretsKey, @Value("${df.tools.allow-hosts:}") String allowHosts) {
    JdbcSecrets secrets = new JdbcSecrets(dataSource, SecretsCipher.fromConfiguration(secretsKey));
    HostRules rules = HostRules.parse(allowHosts);
    if (!rules.equals(HostRules.NONE)) log.info("HTTP tools may also reach: {} {}", rules.names(), rules.blocks());
    return new BuiltInToolActivities(journal, new HttpToolExecutor(secrets, rules, new AddressGuard()), secrets);
  }

  @Bean
  MemoryActivitiesImpl memoryActivities(DataSource dataSource, ModelProviders providers) {
    return new MemoryActivitiesImpl(dataSource, new ModelChats(providers));
  }

  /** One completion item through the configured providers: the Complete activity and batches share it. */
  @Bean
  CompletionRunner completionRunner(ModelProviders providers, CallJournal journal) {
    return new CompletionRunner(providers, journal);
  }

  @Bean
  CompletionActivitiesImpl completionActivities(CompletionRunner runner) {
    return new CompletionActivitiesImpl(runner);
  }

  /** Batches: bookkeeping in PostgreSQL, and chunks of completion items through the same runner. */
  @Bean
  JdbcBatchActivities batchActivities(DataSource dataSource, CompletionRunner runner) {
    return new JdbcBatchActivities(dataSource, runner);
  }

  @Bean
  JdbcRunStoreActivities runStoreActivities(DataSource dataSource) {
    return new JdbcRunStoreActivities(dataSource);
  }

  /** Evaluations (judges call models as summaries do) and the eval job's rows, for the eval job workflow. */
  @Bean
  EvalJobActivities evalActivities(DataSource dataSource, ModelProviders providers) {
    return new EvalJobActivities(new EvalActivitiesImpl(new ModelChats(providers)),
        new JdbcEvalStoreActivities(dataSource));
  }

  @Bean
  JdbcContextActivities contextActivities(DataSource dataSource) {
    return new JdbcContextActivities(dataSource);
  }

  @Bean
  JdbcExperimentActivities experimentActivities(DataSource dataSource) {
    return new JdbcExperimentActivities(dataSource);
  }
}
