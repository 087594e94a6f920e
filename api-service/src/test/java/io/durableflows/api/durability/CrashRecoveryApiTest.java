package io.durableflows.api.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.PrintLogsOnFailure;
import io.durableflows.api.support.ProcessStack;
import io.durableflows.api.support.StreamClient;
import io.durableflows.api.support.StreamClient.Sse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API SIGKILLed while runs wait for approval: the waits live in Temporal and the listing in PostgreSQL, so a
 * restarted API lists the same approvals, takes answers for them, and replays each run's event log whole.
 */
class CrashRecoveryApiTest {
  private static final String TOKEN = "df_crash_api_test_token_0123456789";
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private ProcessStack stack;

  @RegisterExtension
  final PrintLogsOnFailure logs = new PrintLogsOnFailure(() -> stack);

  @BeforeEach
  void start() throws Exception {
    stack = new ProcessStack("durableflows_crash_api", "crashapi", TOKEN);
    stack.startApi();
    stack.startWorkers();
    // examples/flows/approval-demo.json as it is: its model node uses the workers' default, offline model.
    stack.createFlow(ProcessStack.exampleFlow("approval-demo"));
  }

  @AfterEach
  void stop() throws Exception {
    stack.close();
  }

  @Test
  void apiKilledWhileRunsWait_restartedApiListsAndTakesTheAnswers_andReplaysEveryEvent() throws Exception {
    String approved = stack.startRun("approval-demo", Map.of("question", "Why is the sky blue?"));
    String denied = stack.startRun("approval-demo", Map.of("question", "May I skip the tests?"));
    String approveId = stack.awaitPendingApproval(approved, DEADLINE).path("id").asText();
    String denyId = stack.awaitPendingApproval(denied, DEADLINE).path("id").asText();

    stack.killApi();
    stack.startApi();
    Http http = stack.http();

    JsonNode pending = http.get("/api/v1/approvals/pending", TOKEN).json().path("data");
    assertThat(pending.findValuesAsText("id")).containsExactlyInAnyOrder(approveId, denyId);
    assertThat(stack.run(approved).path("status").asText()).isEqualTo("waiting");

    // Follow one run live through the restarted API from its first event, answer it, and read on to its end.
    try (StreamClient live = StreamClient.get(stack.base() + "/api/v1/runs/" + approved + "/events",
        Map.of("Authorization", "Bearer " + TOKEN))) {
      assertThat(live.status()).isEqualTo(200);
      List<StreamClient.Line> lines = new ArrayList<>(live.until(l -> l.equals("event: approval_required"), DEADLINE));
      lines.addAll(live.until(String::isEmpty, DEADLINE));

      Http.Response yes = http.post("/api/v1/approvals/" + approveId + "/respond", TOKEN,
          Map.of("decision", "approve", "comment", "fine", "responder", "alice"));
      assertThat(yes.status()).as(yes.body()).isEqualTo(200);
      assertThat(yes.json().path("status").asText()).isEqualTo("approved");

      lines.addAll(live.rest(DEADLINE));
      List<Sse> events = StreamClient.events(lines);
      assertGapless(events);
      assertThat(events).extracting(Sse::event)
          .contains("run_started", "approval_required", "approval_resolved").last().isEqualTo("done");
    }
    JsonNode approvedRun = stack.awaitEnd(approved, DEADLINE);
    assertThat(approvedRun.path("status").asText()).isEqualTo("completed");
    assertThat(approvedRun.path("output").asText()).startsWith("Offline answer to \"Why is the sky blue?\"");

    Http.Response no = http.post("/api/v1/approvals/" + denyId + "/respond", TOKEN,
        Map.of("decision", "deny", "comment", "not today", "responder", "bob"));
    assertThat(no.status()).as(no.body()).isEqualTo(200);
    assertThat(no.json().path("status").asText()).isEqualTo("denied");
    JsonNode deniedRun = stack.awaitEnd(denied, DEADLINE);
    assertThat(deniedRun.path("status").asText()).isEqualTo("completed");
    assertThat(deniedRun.path("output").asText()).isEqualTo("Denied by bob: not today");

    // The ended run's log, replayed from the start.
    try (StreamClient replay = StreamClient.get(stack.base() + "/api/v1/runs/" + denied + "/events",
        Map.of("Authorization", "Bearer " + TOKEN))) {
      assertThat(replay.status()).isEqualTo(200);
      List<Sse> events = StreamClient.events(replay.rest(DEADLINE));
      assertGapless(events);
      assertThat(events).extracting(Sse::event)
          .contains("run_started", "approval_required", "approval_resolved").last().isEqualTo("done");
    }
    assertThat(http.get("/api/v1/approvals/pending", TOKEN).json().path("data")).isEmpty();
  }

  /** Ids 1, 2, 3... with none missing or repeated. */
  private static void assertGapless(List<Sse> events) {
    assertThat(events).extracting(Sse::id).containsExactlyElementsOf(
        IntStream.rangeClosed(1, events.size()).mapToObj(String::valueOf).toList());
  }
}
