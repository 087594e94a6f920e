package io.durableflows.api.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import io.durableflows.api.support.RunApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** examples/flows/research-team.json: an agent delegating to two sub-agents, each a child run of its own. */
class ResearchTeamTest extends RunApiTest {
  private static final String ASK = "Ask the researcher how long 3 tides take at 12.4 * 3 hours, and the writer for a summary";

  private void createTeam(TestOrg org) {
    createExample(org, "research-team--researcher");
    createExample(org, "research-team--writer");
    createExample(org, "research-team");
  }

  /** The run's child runs, as the run list shows them. */
  private List<String> children(TestOrg org, String runId) {
    Http.Response r = http.get("/api/v1/runs?parent=" + runId, org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    r.json().path("data").forEach(run -> {
      assertThat(run.path("parent_run_id").asText()).isEqualTo(runId);
      ids.add(run.path("id").asText());
    });
    return ids;
  }

  private String awaitChild(TestOrg org, String runId, String flow) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (String id : children(org, runId)) {
        if (run(org, id).path("flow").asText().equals(flow)) return id;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("run " + runId + " never started " + flow);
  }

  @Test
  void researchTeam_withTheOfflineModel_delegatesToBothSubagentsAndCombinesTheirAnswers() {
    TestOrg org = newOrg();
    createTeam(org);

    String runId = startAsync(org, "research-team", input("message", ASK));
    JsonNode run = settled(org, runId);

    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("completed");
    String answer = run.path("output").path("choices").get(0).path("message").path("content").asText();
    assertThat(answer).contains("researcher answered:").contains("writer answered:");
    List<String> children = children(org, runId);
    assertThat(children).hasSize(2);
    List<String> flows = children.stream().map(id -> run(org, id).path("flow").asText()).toList();
    assertThat(flows).containsExactlyInAnyOrder("research-team--researcher", "research-team--writer");
    JsonNode researcher = run(org, children.get(flows.indexOf("research-team--researcher")));
    assertThat(researcher.path("status").asText()).isEqualTo("completed");
    assertThat(researcher.path("output").path("choices").get(0).path("message").path("content").asText())
        .as("the researcher used its own calculator").isEqualTo("The result is 37.2.");
  }

  @Test
  void researchTeam_runUsage_includesItsSubagentsUsage() {
    TestOrg org = newOrg();
    createTeam(org);

    String runId = startAsync(org, "research-team", input("message", ASK));
    JsonNode run = settled(org, runId);

    long childTokens = 0;
    for (String child : children(org, runId)) childTokens += run(org, child).path("usage").path("total_tokens").asLong();
    JsonNode answer = run.path("output").path("usage");
    assertThat(childTokens).isPositive();
    assertThat(run.path("usage").path("total_tokens").asLong()).as("the lead's own turns plus its sub-agents'")
        .isGreaterThan(childTokens);
    assertThat(answer.path("total_tokens").asLong()).isEqualTo(run.path("usage").path("total_tokens").asLong());
  }

  @Test
  void researchTeam_cancelledWhileASubagentWaits_cancelsTheSubagentsRunToo() throws Exception {
    TestOrg org = newOrg();
    Map<String, Object> researcher = example("research-team--researcher");
    node(researcher, "agent").put("tools", List.of(Map.of("name", "calculator", "approval", "always")));
    assertThat(http.post("/api/v1/flows", org.token(), researcher).status()).isEqualTo(201);
    createExample(org, "research-team--writer");
    createExample(org, "research-team");

    String runId = startAsync(org, "research-team", input("message", ASK));
    String researcherRun = awaitChild(org, runId, "research-team--researcher");
    JsonNode approval = awaitApproval(org, researcherRun);
    Http.Response cancelled = http.post("/api/v1/cancel/" + runId, org.token(), Map.of());

    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(settled(org, runId).path("status").asText()).isEqualTo("cancelled");
    assertThat(settled(org, researcherRun).path("status").asText()).isEqualTo("cancelled");
    assertThat(http.get("/api/v1/approvals/" + approval.path("id").asText(), org.token()).json()
        .path("status").asText()).isEqualTo("cancelled");
  }
}
