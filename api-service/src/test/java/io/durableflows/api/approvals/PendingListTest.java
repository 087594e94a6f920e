package io.durableflows.api.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /api/v1/approvals/pending and /api/v1/questions/pending: oldest first, keyset cursors, filters. */
class PendingListTest extends HitlApiTest {

  /** {@code n} calc runs started one after the other, each waiting before the next starts; their approval ids. */
  private List<String> waitingCalculations(TestOrg org, int n) throws InterruptedException {
    createFlow(org, calculatorFlow("calc", "always"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(waitingApproval(org, "calc", input("expression", i + "+1")).path("id").asText());
    }
    return ids;
  }

  private JsonNode page(TestOrg org, String query) {
    var r = http.get("/api/v1/approvals/pending" + query, org.token());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  /** Every id the list gives, page after page from {@code query} (which must carry a limit). */
  private List<String> allPages(TestOrg org, String kind, String query) {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var r = http.get("/api/v1/" + kind + "/pending" + query + (cursor == null ? "" : "&cursor=" + cursor),
          org.token());
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      seen.addAll(ids(r.json().path("data")));
      cursor = r.json().path("next_cursor").isNull() ? null : r.json().path("next_cursor").asText();
      assertThat(++pages).as("pages").isLessThan(20);
    } while (cursor != null);
    return seen;
  }

  @Test
  void pending_pagesOldestFirstWithACursor() throws Exception {
    TestOrg org = newOrg();
    List<String> ids = waitingCalculations(org, 3);

    JsonNode first = page(org, "?limit=2");

    assertThat(ids(first.path("data"))).containsExactly(ids.get(0), ids.get(1));
    assertThat(first.path("next_cursor").asText()).isNotBlank();
    JsonNode second = page(org, "?limit=2&cursor=" + first.path("next_cursor").asText());
    assertThat(ids(second.path("data"))).containsExactly(ids.get(2));
    assertThat(second.path("next_cursor").isNull()).isTrue();
  }

  @Test
  void pending_withLimitOne_walksEveryApprovalOnce() throws Exception {
    TestOrg org = newOrg();
    List<String> ids = waitingCalculations(org, 3);

    assertThat(allPages(org, "approvals", "?limit=1")).containsExactlyElementsOf(ids);
  }

  @Test
  void pending_withALimitCoveringAll_givesOnePageWithoutACursor() throws Exception {
    TestOrg org = newOrg();
    List<String> ids = waitingCalculations(org, 3);

    JsonNode page = page(org, "?limit=3");

    assertThat(ids(page.path("data"))).containsExactlyElementsOf(ids);
    assertThat(page.path("next_cursor").isNull()).isTrue();
    assertThat(ids(page(org, "").path("data"))).as("default limit").containsExactlyElementsOf(ids);
  }

  @Test
  void pending_cursorMissesNothing_whenAnEarlierApprovalIsAnsweredBetweenPages() throws Exception {
    TestOrg org = newOrg();
    List<String> ids = waitingCalculations(org, 3);
    JsonNode first = page(org, "?limit=2");
    respond(org, ids.get(0), Map.of("decision", "approve"));

    JsonNode second = page(org, "?limit=2&cursor=" + first.path("next_cursor").asText());

    assertThat(ids(second.path("data"))).containsExactly(ids.get(2));
    assertThat(ids(page(org, "").path("data"))).containsExactly(ids.get(1), ids.get(2));
  }

  @Test
  void pending_filtersByFlowSlugOrId() throws Exception {
    TestOrg org = newOrg();
    List<String> calc = waitingCalculations(org, 2);
    createExample(org, "approval-demo");
    String demo = waitingApproval(org, "approval-demo", input("question", "q")).path("id").asText();
    String calcFlowId = http.get("/api/v1/flows/calc", org.token()).json().path("id").asText();

    assertThat(ids(page(org, "?flow=calc").path("data"))).containsExactlyElementsOf(calc);
    assertThat(ids(page(org, "?flow=approval-demo").path("data"))).containsExactly(demo);
    assertThat(ids(page(org, "?flow=" + calcFlowId).path("data"))).containsExactlyElementsOf(calc);
    assertThat(page(org, "?flow=no-such-flow").path("data")).isEmpty();
  }

  @Test
  void pending_filtersByRunAndRunId() throws Exception {
    TestOrg org = newOrg();
    createFlow(org, calculatorFlow("calc", "always"));
    JsonNode a = waitingApproval(org, "calc", input("expression", "1"));
    waitingApproval(org, "calc", input("expression", "2"));
    String runId = a.path("run_id").asText();

    assertThat(ids(page(org, "?run=" + runId).path("data"))).containsExactly(a.path("id").asText());
    assertThat(ids(page(org, "?run_id=" + runId).path("data"))).containsExactly(a.path("id").asText());
    assertThat(page(org, "?run=run_nope").path("data")).isEmpty();
  }

  @Test
  void pending_filtersByTool() throws Exception {
    TestOrg org = newOrg();
    List<String> calc = waitingCalculations(org, 2);
    createExample(org, "approval-demo");
    waitingApproval(org, "approval-demo", input("question", "q"));

    assertThat(ids(page(org, "?tool=calculator").path("data"))).containsExactlyElementsOf(calc);
    assertThat(page(org, "?tool=json_path").path("data")).isEmpty();
    assertThat(page(org, "?tool=calculator&flow=approval-demo").path("data")).isEmpty();
  }

  @Test
  void pending_pagesWithinAFilter() throws Exception {
    TestOrg org = newOrg();
    List<String> calc = waitingCalculations(org, 3);
    createExample(org, "approval-demo");
    waitingApproval(org, "approval-demo", input("question", "q"));

    assertThat(allPages(org, "approvals", "?flow=calc&limit=2")).containsExactlyElementsOf(calc);
  }

  @Test
  void pending_leavesOutResolvedApprovals() throws Exception {
    TestOrg org = newOrg();
    List<String> ids = waitingCalculations(org, 2);
    respond(org, ids.get(1), Map.of("decision", "deny"));

    assertThat(ids(page(org, "").path("data"))).containsExactly(ids.get(0));
  }

  @Test
  void questionsPending_pagesOldestFirstWithACursor() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "question-demo");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(awaitQuestion(org, startAsync(org, "question-demo", input("topic", "t" + i))).path("id").asText());
    }

    assertThat(allPages(org, "questions", "?limit=2")).containsExactlyElementsOf(ids);
    assertThat(allPages(org, "questions", "?flow=question-demo&limit=1")).containsExactlyElementsOf(ids);
  }
}
