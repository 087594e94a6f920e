package io.durableflows.activities.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.activities.llm.ModelChats;
import io.durableflows.activities.llm.ModelProviders;
import io.durableflows.activities.llm.ProviderSettings;
import io.durableflows.activities.store.JdbcRunStoreActivities;
import io.durableflows.activities.support.TestDatabase;
import io.durableflows.workflows.catalog.ModelCatalog;
import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.memory.ConversationTurn;
import io.durableflows.workflows.memory.MemoryPrompts;
import io.durableflows.workflows.memory.Summary;
import io.durableflows.workflows.memory.SummaryRequest;
import io.durableflows.workflows.store.RunOutcome;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Turns written with a run's outcome, history read back, and summaries from the offline model. */
class MemoryActivitiesImplTest {
  private final JdbcClient jdbc = JdbcClient.create(TestDatabase.dataSource());
  private final JdbcRunStoreActivities store = new JdbcRunStoreActivities(TestDatabase.dataSource());
  private final MemoryActivitiesImpl memory = new MemoryActivitiesImpl(TestDatabase.dataSource(), new ModelChats(
      new ModelProviders(List.of(new ProviderSettings("offline", "offline", null, null, ModelCatalog.OFFLINE_MODEL,
          Duration.ofSeconds(5))), "offline", Duration.ZERO)));
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String orgId = "org_" + suffix;
  private final String orgCode = "mem-" + suffix;

  @BeforeEach
  void org() {
    jdbc.sql("insert into organizations (id, org_code, name) values (:id, :code, 'Memory test')")
        .param("id", orgId).param("code", orgCode).update();
  }

  private String run(String session) {
    String id = "run_" + UUID.randomUUID();
    jdbc.sql("""
            insert into runs (id, org_id, flow_id, flow_slug, flow_session_id, channel, status, input, workflow_id,
              started_at)
            values (:id, :org, 'flw_1', 'chat', :session, 'test', 'running', '{}', :id, now())""")
        .param("id", id).param("org", orgId).param("session", session).update();
    return id;
  }

  private void complete(String runId, String session, String user, String answer) {
    store.recordOutcome(new RunOutcome(runId, RunOutcome.COMPLETED, answer, answer, Usage.ZERO, 0, null, null,
        List.of(), List.of(), new ConversationTurn(session, user, answer)));
  }

  @Test
  void recordOutcome_withTurn_createsTheConversationAndAppendsTheTurnOnce() {
    String runId = run("sess-1");

    complete(runId, "sess-1", "hello", "hi there");
    complete(runId, "sess-1", "hello", "hi there"); // a retried write

    assertThat(memory.loadHistory(orgCode, "sess-1", 100)).containsExactly(ChatMessage.user("hello"),
        ChatMessage.assistant("hi there"));
    assertThat(jdbc.sql("select flow_slug from conversations where org_id = :org and id = 'sess-1'")
        .param("org", orgId).query(String.class).single()).isEqualTo("chat");
  }

  @Test
  void loadHistory_returnsTheNewestUpToLimit_oldestFirst() {
    for (int i = 1; i <= 3; i++) complete(run("sess-2"), "sess-2", "q" + i, "a" + i);

    assertThat(memory.loadHistory(orgCode, "sess-2", 3)).extracting(ChatMessage::content)
        .containsExactly("a2", "q3", "a3");
  }

  @Test
  void loadHistory_afterCompaction_startsWithTheSummaryThenLaterMessages() {
    for (int i = 1; i <= 3; i++) complete(run("sess-3"), "sess-3", "q" + i, "a" + i);
    long upTo = jdbc.sql("""
            select seq from conversation_messages where org_id = :org and conversation_id = 'sess-3'
            and content = 'a2'""").param("org", orgId).query(Long.class).single();
    jdbc.sql("""
            insert into conversation_markers (id, org_id, conversation_id, kind, data)
            values (:id, :org, 'sess-3', 'compaction', cast(:data as jsonb))""")
        .param("id", "mrk_" + suffix).param("org", orgId)
        .param("data", "{\"summary\": \"two turns\", \"up_to_seq\": " + upTo + "}").update();

    assertThat(memory.loadHistory(orgCode, "sess-3", 100)).containsExactly(
        ChatMessage.system(MemoryPrompts.SUMMARY_PREFIX + "two turns"), ChatMessage.user("q3"),
        ChatMessage.assistant("a3"));
  }

  @Test
  void loadHistory_ofUnknownSessionOrOtherOrg_isEmpty() {
    complete(run("sess-4"), "sess-4", "q", "a");

    assertThat(memory.loadHistory(orgCode, "nope", 10)).isEmpty();
    assertThat(memory.loadHistory("other-org", "sess-4", 10)).isEmpty();
  }

  @Test
  void summarize_withOfflineModel_condensesTheMessages() {
    Summary summary = memory.summarize(new SummaryRequest("r", "memory", SummaryRequest.SUMMARY, null, null,
        List.of(ChatMessage.user("I live in Lisbon."), ChatMessage.assistant("Noted."))));

    assertThat(summary.text()).isEqualTo("user: I live in Lisbon.; assistant: Noted.");
    assertThat(summary.provider()).isEqualTo("offline");
    assertThat(summary.usage().totalTokens()).isPositive();
  }

  @Test
  void summarize_title_isShortAndClean() {
    assertThat(memory.summarize(new SummaryRequest(null, null, SummaryRequest.TITLE, null, null,
        List.of(ChatMessage.user("plan a trip to Japan in spring please")))).text())
        .isEqualTo("Plan a trip to Japan in");
    assertThat(MemoryActivitiesImpl.cleanTitle("Title: \"Trip to Japan\"\nmore")).isEqualTo("Trip to Japan");
  }
}
