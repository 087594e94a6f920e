package io.durableflows.activities.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.activities.support.TestDatabase;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@link JdbcCallJournal} against the real {@code call_journal} table. */
class JdbcCallJournalTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JdbcCallJournal journal = new JdbcCallJournal(TestDatabase.dataSource());
  private final JdbcClient jdbc = JdbcClient.create(TestDatabase.dataSource());
  private final String key = "tool:" + UUID.randomUUID();

  private CallJournal.Entry entry(String key, int attempt, String resultJson) {
    return new CallJournal.Entry(key, "run-journal", "node-1", "tool", "calculator", "activity-1", attempt,
        "{\"expression\": \"1+1\"}", resultJson);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void record_newKey_returnsTheRecordedResult() {
    String standing = journal.record(entry(key, 1, "{\"text\": \"2\", \"attempt\": 1}"));

    assertThat(json(standing)).isEqualTo(json("{\"text\": \"2\", \"attempt\": 1}"));
  }

  @Test
  void find_afterRecord_returnsTheRecordedResult() {
    journal.record(entry(key, 1, "{\"text\": \"2\"}"));

    assertThat(journal.find(key).map(JdbcCallJournalTest::json)).contains(json("{\"text\": \"2\"}"));
  }

  @Test
  void find_unknownKey_isEmpty() {
    assertThat(journal.find(key)).isEmpty();
  }

  @Test
  void find_nullKey_isEmpty() {
    assertThat(journal.find(null)).isEmpty();
  }

  @Test
  void record_takenKey_keepsAndReturnsTheFirstResult() {
    journal.record(entry(key, 1, "{\"text\": \"first\", \"attempt\": 1}"));

    String standing = journal.record(entry(key, 2, "{\"text\": \"second\", \"attempt\": 2}"));

    assertThat(json(standing)).isEqualTo(json("{\"text\": \"first\", \"attempt\": 1}"));
    assertThat(json(journal.find(key).orElseThrow())).isEqualTo(json("{\"text\": \"first\", \"attempt\": 1}"));
  }

  @Test
  void record_takenKey_leavesTheFirstRowUntouched() {
    journal.record(entry(key, 1, "{\"text\": \"first\"}"));

    journal.record(entry(key, 2, "{\"text\": \"second\"}"));

    assertThat(jdbc.sql("select attempt from call_journal where idempotency_key = ?").param(key)
        .query(Integer.class).list()).containsExactly(1);
  }

  @Test
  void record_storesEveryColumnOfTheEntry() {
    journal.record(entry(key, 3, "{\"text\": \"2\"}"));

    var row = jdbc.sql("""
            select run_id, node_id, kind, name, activity_id, attempt, arguments::text as arguments, created_at
            from call_journal where idempotency_key = ?""")
        .param(key).query().singleRow();
    assertThat(row).containsEntry("run_id", "run-journal").containsEntry("node_id", "node-1")
        .containsEntry("kind", "tool").containsEntry("name", "calculator").containsEntry("activity_id", "activity-1")
        .containsEntry("attempt", 3);
    assertThat(json((String) row.get("arguments"))).isEqualTo(json("{\"expression\": \"1+1\"}"));
    assertThat(row.get("created_at")).isNotNull();
  }

  @Test
  void record_nullKey_returnsItsResultAndStoresNothing() {
    String standing = journal.record(new CallJournal.Entry(null, "run-null-key", "node-1", "tool", "calculator",
        "activity-1", 1, "{}", "{\"text\": \"2\"}"));

    assertThat(standing).isEqualTo("{\"text\": \"2\"}");
    assertThat(jdbc.sql("select count(*) from call_journal where run_id = 'run-null-key'").query(Long.class).single())
        .isZero();
  }
}
