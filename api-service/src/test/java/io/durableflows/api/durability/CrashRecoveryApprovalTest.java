package io.durableflows.api.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.PrintLogsOnFailure;
import io.durableflows.api.support.ProcessStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The workers SIGKILLed while a run waits for a person to approve a tool call: the wait is a point in the run's
 * history, not a thread, so the answer reaches the run whether it arrives while no worker is up (the signal path)
 * or after new workers took over (the update path). Nothing before the wait runs again; the tool runs once.
 */
class CrashRecoveryApprovalTest {
  private static final String TOKEN = "df_crash_approval_test_token_0123456789";
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final String SLUG = "plan-then-calculate";
  /** input → plan (llm, the stub) → calc (calculator, always approved first, arguments from plan's JSON) → output. */
  private static final String FLOW = """
      {
        "slug": "plan-then-calculate",
        "name": "A model plans a calculation; a person approves it before the calculator runs",
        "nodes": [
          {"id": "input", "type": "input", "position": {"x": 0, "y": 0},
           "data": {"variables": [{"name": "question", "type": "string", "required": true}]}},
          {"id": "plan", "type": "llm", "position": {"x": 260, "y": 0},
           "data": {"provider": "stub",
                    "prompt": "Answer with a JSON object {\\"expression\\": ...} computing: {{input.question}}"}},
          {"id": "calc", "type": "tool", "position": {"x": 520, "y": 0},
           "data": {"tool": "calculator", "arguments": "{{plan.json}}", "approval": "always"}},
          {"id": "output", "type": "output", "position": {"x": 780, "y": 0},
           "data": {"shape": "raw", "source": "calc"}}
        ],
        "edges": [
          {"id": "e1", "source": "input", "target": "plan"},
          {"id": "e2", "source": "plan", "target": "calc"},
          {"id": "e3", "source": "calc", "target": "output", "sourceHandle": "approved"}
        ]
      }
      """;
  private ProcessStack stack;

  @RegisterExtension
  final PrintLogsOnFailure logs = new PrintLogsOnFailure(() -> stack);

  @BeforeEach
  void start() throws Exception {
    stack = new ProcessStack("durableflows_crash_approval", "crashapr", TOKEN);
    stack.startApi();
    stack.startWorkers();
    stack.createFlow(FLOW);
    stack.stub.enqueue(Reply.success("{\"expression\": \"6*7\"}"));
  }

  @AfterEach
  void stop() throws Exception {
    stack.close();
  }

  @Test
  void answeredWhileNoWorkerRuns_theSignalWaitsInTheHistory_andNewWorkersFinishTheRun() throws Exception {
    String runId = stack.startRun(SLUG, Map.of("question", "six times seven"));
    String approvalId = awaitToolApproval(runId);

    stack.killWorkers();
    Http.Response answer = stack.http().post("/api/v1/approvals/" + approvalId + "/respond", TOKEN,
        Map.of("decision", "approve", "comment", "go ahead", "responder", "carol"), Map.of("Prefer", "respond-async"));
    assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    assertThat(stack.run(runId).path("status").asText()).as("no worker has applied the answer yet")
        .isEqualTo("waiting");

    stack.startWorkers();
    JsonNode run = stack.awaitEnd(runId, DEADLINE);

    assertRanOnceAndCompleted(run, runId);
    assertApproved(approvalId, "carol");
  }

  @Test
  void workersRestartedDuringTheWait_thenAnsweredNormally_noApprovalIsLost() throws Exception {
    String runId = stack.startRun(SLUG, Map.of("question", "six times seven"));
    String approvalId = awaitToolApproval(runId);

    stack.killWorkers();
    stack.startWorkers();
    assertThat(stack.awaitPendingApproval(runId, DEADLINE).path("id").asText()).isEqualTo(approvalId);
    Http.Response answer = stack.http().post("/api/v1/approvals/" + approvalId + "/respond", TOKEN,
        Map.of("decision", "approve", "comment", "go ahead", "responder", "dave"));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("status").asText()).isEqualTo("approved");
    JsonNode run = stack.awaitEnd(runId, DEADLINE);

    assertRanOnceAndCompleted(run, runId);
    assertApproved(approvalId, "dave");
  }

  /** The run's approval of the calculator call with the arguments the model planned. */
  private String awaitToolApproval(String runId) throws InterruptedException {
    JsonNode approval = stack.awaitPendingApproval(runId, DEADLINE);
    assertThat(approval.path("kind").asText()).isEqualTo("tool_call");
    assertThat(approval.path("node").asText()).isEqualTo("calc");
    assertThat(approval.path("tool").asText()).isEqualTo("calculator");
    assertThat(approval.path("arguments").path("expression").asText()).isEqualTo("6*7");
    return approval.path("id").asText();
  }

  private void assertRanOnceAndCompleted(JsonNode run, String runId) {
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("completed");
    assertThat(run.path("output").asText()).contains("42");
    assertThat(stack.stub.requests()).as("the model call before the wait was not repeated").hasSize(1);
    List<JsonNode> tools = kind(run.path("calls"), "tool");
    assertThat(tools).as(run.path("calls").toString()).hasSize(1);
    assertThat(tools.getFirst().path("node").asText()).isEqualTo("calc");
    assertThat(tools.getFirst().path("name").asText()).isEqualTo("calculator");
    assertThat(tools.getFirst().path("idempotency_key").asText()).isEqualTo(runId + "/calc/1");
    List<JsonNode> models = kind(run.path("calls"), "llm");
    assertThat(models).as(run.path("calls").toString()).hasSize(1);
    assertThat(models.getFirst().path("attempt").asInt()).isEqualTo(1);
  }

  private void assertApproved(String approvalId, String responder) {
    JsonNode approval = stack.http().get("/api/v1/approvals/" + approvalId, TOKEN).json();
    assertThat(approval.path("status").asText()).as(approval.toString()).isEqualTo("approved");
    assertThat(approval.path("decision").asText()).isEqualTo("approve");
    assertThat(approval.path("comment").asText()).isEqualTo("go ahead");
    assertThat(approval.path("responder").path("name").asText()).isEqualTo(responder);
    assertThat(approval.path("responder").path("token_id").asText()).isNotBlank();
    assertThat(approval.path("final_arguments").path("expression").asText()).isEqualTo("6*7");
    assertThat(approval.path("resolved_at").asText()).isNotBlank();
  }

  private static List<JsonNode> kind(JsonNode calls, String kind) {
    List<JsonNode> out = new ArrayList<>();
    calls.forEach(c -> {
      if (kind.equals(c.path("kind").asText())) out.add(c);
    });
    return out;
  }
}
