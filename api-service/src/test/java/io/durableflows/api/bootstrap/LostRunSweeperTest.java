package io.durableflows.api.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.credits.CreditService;
import io.durableflows.api.runs.RunRepository;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class LostRunSweeperTest extends ApiTest {
  @Autowired
  RunRepository runs;

  @Autowired
  LostRunSweeper sweeper;

  @Autowired
  CreditService credits;

  @Test
  void sweep_marksRunsWhoseWorkflowIsGoneAsLost() {
    TestOrg org = newOrg();
    String runId = "run_lost" + System.nanoTime();
    runs.insert(new RunRepository.NewRun(runId, org.id(), null, "flw_x", "qa-raw", null, "draft", "h", null,
        "flow_api", Map.of("question", "hi"), null, "run/" + org.code() + "/qa-raw/" + runId, false));
    sweeper.sweep();
    JsonNode run = http.get("/api/v1/runs/" + runId, org.token()).json();
    assertThat(run.path("status").asText()).isEqualTo("lost");
    assertThat(run.path("error").path("message").asText()).contains("no longer exists");
    assertThat(run.path("finished_at").asText()).isNotBlank();
  }

  @Test
  void sweep_releasesTheCreditHoldOfALostRun() {
    TestOrg org = newOrg();
    String runId = "run_lost" + System.nanoTime();
    runs.insert(new RunRepository.NewRun(runId, org.id(), null, "flw_x", "qa-raw", null, "draft", "h", null,
        "agent_chat", Map.of("question", "hi"), null, "run/" + org.code() + "/qa-raw/" + runId, false));
    credits.hold(org.id(), runId);
    assertThat(http.get("/api/v1/credits", org.token()).json().path("balance").asText()).isEqualTo("9.5");

    sweeper.sweep();

    JsonNode ledger = http.get("/api/v1/credits", org.token()).json();
    assertThat(ledger.path("balance").asText()).isEqualTo("10");
    assertThat(ledger.path("ledger").get(0).path("kind").asText()).isEqualTo("release");
    assertThat(ledger.path("ledger").get(0).path("run_id").asText()).isEqualTo(runId);
  }

  @Test
  void sweep_leavesFinishedRunsAlone() {
    TestOrg org = newOrg();
    createExample(org, "qa-raw");
    Http.Response r = http.post("/api/llm/" + org.code() + "/flows/qa-raw/run", org.token(), input("question", "hi"));
    sweeper.sweep();
    assertThat(http.get("/api/v1/runs/" + r.header("X-Run-Id"), org.token()).json().path("status").asText())
        .isEqualTo("completed");
  }
}
