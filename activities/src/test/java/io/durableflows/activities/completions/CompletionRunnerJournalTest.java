package io.durableflows.activities.completions;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.activities.journal.JdbcCallJournal;
import io.durableflows.activities.llm.ModelProviders;
import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.activities.llm.ProviderSettings;
import io.durableflows.activities.support.TestDatabase;
import io.durableflows.workflows.completions.CompletionCall;
import io.durableflows.workflows.completions.CompletionOperations;
import io.durableflows.workflows.completions.CompletionResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A paid provider's result is journaled under the item's key; a retry with that key does not ask again. */
class CompletionRunnerJournalTest {
  private final OpenAiStubServer stub = OpenAiStubServer.start();
  private final CompletionRunner runner = new CompletionRunner(new ModelProviders(List.of(new ProviderSettings(
      "stub", "openai", stub.baseUrl(), "sk-test", "gpt-4o-mini", Duration.ofSeconds(5))), "stub"),
      new JdbcCallJournal(TestDatabase.dataSource()));

  @AfterEach
  void tearDown() {
    stub.close();
  }

  private CompletionResult summarize(String key, String provider) {
    return runner.run(new CompletionCall(key, "acme", CompletionOperations.SUMMARIZE, Map.of(), "A long text.",
        provider, null));
  }

  @Test
  void sameKeyAgain_returnsTheJournaledResultWithoutAskingTheProvider() {
    String key = "completions/acme/summarize/" + UUID.randomUUID() + "/0";
    stub.enqueue(Reply.success("First summary.", 10, 2), Reply.success("Second summary."));

    CompletionResult first = summarize(key, null);
    CompletionResult again = summarize(key, null);

    assertThat(again.output()).isEqualTo("First summary.").isEqualTo(first.output());
    assertThat(again.usage()).isEqualTo(first.usage());
    assertThat(stub.requests()).hasSize(1);
  }

  @Test
  void offlineItems_areNotJournaled() {
    String key = "completions/acme/summarize/" + UUID.randomUUID() + "/0";

    summarize(key, "offline");

    assertThat(JdbcClient.create(TestDatabase.dataSource()).sql("select count(*) from call_journal where "
        + "idempotency_key = :key").param("key", key).query(Long.class).single()).isZero();
  }
}
