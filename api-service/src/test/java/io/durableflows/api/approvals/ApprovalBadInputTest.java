package io.durableflows.api.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every approvals route refuses what it cannot take with a JSON {@code {error, message}} and the right status,
 * and a refused request changes nothing: the approval and its run still wait.
 */
class ApprovalBadInputTest extends HitlApiTest {

  /** A run of approval-demo waiting on its approval; returns the approval's id. */
  private String pendingApproval(TestOrg org) throws InterruptedException {
    createExample(org, "approval-demo");
    return waitingApproval(org, "approval-demo", input("question", "Why?")).path("id").asText();
  }

  private String pendingQuestion(TestOrg org) throws InterruptedException {
    createExample(org, "question-demo");
    return awaitQuestion(org, startAsync(org, "question-demo", input("topic", "tides"))).path("id").asText();
  }

  /** A token of the same org that may read runs but not answer for them. */
  private String reader(TestOrg org) {
    return tokens.mint(org.id(), "reader", List.of("runs:read")).token();
  }

  // ------------------------------------------------------------------------------------------ respond

  @Test
  void respond_withMalformedJson_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.postRaw("/api/v1/approvals/" + id + "/respond", org.token(), "application/json",
        "{\"decision\": \"approve\"");

    assertError(r, 400, "invalid_json");
    assertApprovalStillPending(org, id);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"[]", "[{\"decision\": \"approve\"}]", "\"approve\"", "5", "null", ""})
  void respond_withABodyThatIsNotAnObject_returns400AndChangesNothing(String body) throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.postRaw("/api/v1/approvals/" + id + "/respond", org.token(), "application/json", body);

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isIn("invalid_json", "invalid_request");
    assertApprovalStillPending(org, id);
  }

  static Stream<Arguments> wrongAnswers() {
    return Stream.of(
        Arguments.of("decision is a number", map("decision", 5)),
        Arguments.of("decision is not offered", map("decision", "maybe")),
        Arguments.of("decision is an object", map("decision", map("value", "approve"))),
        Arguments.of("decision is missing", map("comment", "fine")),
        Arguments.of("decision is null", map("decision", null)),
        Arguments.of("decision answers a question", map("answer", "yes")),
        Arguments.of("comment is an array", map("decision", "approve", "comment", List.of())),
        Arguments.of("comment is a number", map("decision", "approve", "comment", 5)),
        Arguments.of("modified_arguments is a string", map("decision", "approve", "modified_arguments", "x")),
        Arguments.of("modified_arguments is an array", map("decision", "approve", "modified_arguments", List.of(1))),
        Arguments.of("responder is empty", map("decision", "approve", "responder", "")),
        Arguments.of("responder is blank", map("decision", "approve", "responder", "   ")),
        Arguments.of("responder is a number", map("decision", "approve", "responder", 5)),
        Arguments.of("responder is too long", map("decision", "approve", "responder", "r".repeat(201))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongAnswers")
  void respond_withWrongTypesOrMissingDecision_returns400AndChangesNothing(String why, Map<String, Object> body)
      throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = respond(org, id, body);

    assertError(r, 400, "invalid_request");
    assertApprovalStillPending(org, id);
  }

  @Test
  void respond_withACommentLongerThanAllowed_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = respond(org, id, Map.of("decision", "approve", "comment", "c".repeat(4001)));

    assertError(r, 400, "invalid_answer");
    assertApprovalStillPending(org, id);
  }

  @Test
  void respond_withoutJsonContentType_returns415AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.postRaw("/api/v1/approvals/" + id + "/respond", org.token(), "text/plain",
        "{\"decision\": \"approve\"}");

    assertError(r, 415, "unsupported_media_type");
    assertApprovalStillPending(org, id);
  }

  @Test
  void respond_withAnAsyncParameterThatIsNotABoolean_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.post("/api/v1/approvals/" + id + "/respond?async=maybe", org.token(),
        Map.of("decision", "approve"));

    assertError(r, 400, "invalid_request");
    assertApprovalStillPending(org, id);
  }

  @Test
  void respond_toAnUnknownId_returns404() {
    TestOrg org = newOrg();

    Http.Response r = respond(org, "apr_doesnotexist", Map.of("decision", "approve"));

    assertError(r, 404, "not_found");
  }

  @Test
  void respond_toAnotherOrgsApproval_returns404AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);
    TestOrg other = newOrg();

    Http.Response r = respond(other, id, Map.of("decision", "deny"));

    assertError(r, 404, "not_found");
    assertApprovalStillPending(org, id);
  }

  @Test
  void respond_toAQuestionIdThroughTheApprovalsRoute_returns404AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String questionId = pendingQuestion(org);

    Http.Response r = respond(org, questionId, Map.of("decision", "approve"));

    assertError(r, 404, "not_found");
    assertQuestionStillPending(org, questionId);
  }

  @Test
  void respond_withATokenWithoutRunsWrite_returns403AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.post("/api/v1/approvals/" + id + "/respond", reader(org),
        Map.of("decision", "approve"));

    assertError(r, 403, "insufficient_scope");
    assertApprovalStillPending(org, id);
  }

  @Test
  void respond_withAReadOnlyTokenOfItsOwnOrg_returns403() throws Exception {
    TestOrg readOnly = newOrg(List.of("runs:read"));

    Http.Response r = respond(readOnly, "apr_doesnotexist", Map.of("decision", "approve"));

    assertError(r, 403, "insufficient_scope");
  }

  @Test
  void respond_withoutAToken_returns401AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.post("/api/v1/approvals/" + id + "/respond", null, Map.of("decision", "approve"));

    assertThat(r.status()).as(r.body()).isEqualTo(401);
    assertThat(r.json().path("error").asText()).isNotBlank();
    assertApprovalStillPending(org, id);
  }

  @Test
  void respond_afterTheApprovalWasCancelled_returns409AndKeepsTheCancellation() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);
    assertThat(http.delete("/api/v1/approvals/" + id, org.token()).status()).isEqualTo(200);

    Http.Response r = respond(org, id, Map.of("decision", "approve"));

    assertError(r, 409, "already_resolved");
    assertThat(getApproval(org, id).path("status").asText()).isEqualTo("cancelled");
  }

  // ------------------------------------------------------------------------------------------ get

  @Test
  void get_ofAnUnknownId_returns404() {
    TestOrg org = newOrg();

    assertError(http.get("/api/v1/approvals/apr_doesnotexist", org.token()), 404, "not_found");
  }

  @Test
  void get_ofAQuestionIdThroughTheApprovalsRoute_returns404() throws Exception {
    TestOrg org = newOrg();
    String questionId = pendingQuestion(org);

    assertError(http.get("/api/v1/approvals/" + questionId, org.token()), 404, "not_found");
  }

  @Test
  void get_withAReadOnlyToken_showsTheApproval() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.get("/api/v1/approvals/" + id, reader(org));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("id").asText()).isEqualTo(id);
  }

  // ------------------------------------------------------------------------------------------ delete

  @Test
  void delete_ofAnUnknownId_returns404() {
    TestOrg org = newOrg();

    assertError(http.delete("/api/v1/approvals/apr_doesnotexist", org.token()), 404, "not_found");
  }

  @Test
  void delete_ofAnotherOrgsApproval_returns404AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);
    TestOrg other = newOrg();

    assertError(http.delete("/api/v1/approvals/" + id, other.token()), 404, "not_found");
    assertApprovalStillPending(org, id);
  }

  @Test
  void delete_ofAQuestionId_returns404AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String questionId = pendingQuestion(org);

    assertError(http.delete("/api/v1/approvals/" + questionId, org.token()), 404, "not_found");
    assertQuestionStillPending(org, questionId);
  }

  @Test
  void delete_withMalformedJson_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.delete("/api/v1/approvals/" + id, org.token(), "{\"comment\": ");

    assertError(r, 400, "invalid_json");
    assertApprovalStillPending(org, id);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongCancellations")
  void delete_withWrongTypes_returns400AndChangesNothing(String why, Map<String, Object> body) throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.delete("/api/v1/approvals/" + id, org.token(), body);

    assertError(r, 400, "invalid_request");
    assertApprovalStillPending(org, id);
  }

  static Stream<Arguments> wrongCancellations() {
    return Stream.of(
        Arguments.of("comment is an array", map("comment", List.of())),
        Arguments.of("comment is a number", map("comment", 5)),
        Arguments.of("responder is empty", map("responder", "")),
        Arguments.of("responder is an object", map("responder", map("name", "x"))));
  }

  @Test
  void delete_withAComment_cancelsWithIt() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.delete("/api/v1/approvals/" + id, org.token(),
        Map.of("comment", "duplicate request", "responder", "erin"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode view = getApproval(org, id);
    assertThat(view.path("status").asText()).isEqualTo("cancelled");
    assertThat(view.path("comment").asText()).isEqualTo("duplicate request");
    assertThat(view.path("responder").path("name").asText()).isEqualTo("erin");
  }

  @Test
  void delete_twice_returns409() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);
    assertThat(http.delete("/api/v1/approvals/" + id, org.token()).status()).isEqualTo(200);

    assertError(http.delete("/api/v1/approvals/" + id, org.token()), 409, "already_resolved");
  }

  @Test
  void delete_withATokenWithoutRunsWrite_returns403AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    assertError(http.delete("/api/v1/approvals/" + id, reader(org)), 403, "insufficient_scope");
    assertApprovalStillPending(org, id);
  }

  // ------------------------------------------------------------------------------------------ pending

  @ParameterizedTest(name = "limit={0}")
  @ValueSource(strings = {"0", "101", "-1", "abc", "1.5"})
  void pending_withALimitOutside1To100_returns400(String limit) {
    TestOrg org = newOrg();

    assertError(http.get("/api/v1/approvals/pending?limit=" + limit, org.token()), 400, "invalid_request");
  }

  @ParameterizedTest(name = "cursor={0}")
  @MethodSource("badCursors")
  void pending_withACursorThisApiDidNotHandOut_returns400(String cursor) {
    TestOrg org = newOrg();

    assertError(http.get("/api/v1/approvals/pending?cursor=" + cursor, org.token()), 400, "invalid_request");
  }

  static Stream<String> badCursors() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return Stream.of("!!!", "bm9wZQ", b64.encodeToString("yesterday|apr_x".getBytes(StandardCharsets.UTF_8)),
        b64.encodeToString("2026-01-01T00:00:00Z".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void pending_ofAnotherOrg_showsNoneOfThisOrgsApprovals() throws Exception {
    TestOrg org = newOrg();
    pendingApproval(org);
    TestOrg other = newOrg();

    JsonNode page = http.get("/api/v1/approvals/pending", other.token()).json();

    assertThat(page.path("data")).isEmpty();
    assertThat(page.path("next_cursor").isNull()).isTrue();
  }

  @Test
  void pending_withoutAToken_returns401() {
    assertThat(http.get("/api/v1/approvals/pending", null).status()).isEqualTo(401);
  }

  // ------------------------------------------------------------------------------------------ bulk

  @Test
  void bulk_withMalformedJson_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.postRaw("/api/v1/approvals/bulk-respond", org.token(), "application/json",
        "{\"ids\": [\"" + id + "\"], \"decision\": ");

    assertError(r, 400, "invalid_json");
    assertApprovalStillPending(org, id);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapelessBulks")
  void bulk_withoutItemsOrIds_returns400(String why, Map<String, Object> body) {
    TestOrg org = newOrg();

    assertError(http.post("/api/v1/approvals/bulk-respond", org.token(), body), 400, "invalid_request");
  }

  static Stream<Arguments> shapelessBulks() {
    return Stream.of(
        Arguments.of("empty object", map()),
        Arguments.of("items is a string", map("items", "apr_x")),
        Arguments.of("items is an object", map("items", map("id", "apr_x", "decision", "approve"))),
        Arguments.of("ids is a string", map("ids", "apr_x", "decision", "approve")),
        Arguments.of("no items", map("items", List.of())),
        Arguments.of("no ids", map("ids", List.of(), "decision", "approve")));
  }

  @Test
  void bulk_with101Items_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);
    List<Object> items = new ArrayList<>();
    items.add(Map.of("id", id, "decision", "approve"));
    for (int i = 1; i < 101; i++) items.add(Map.of("id", "apr_unknown" + i, "decision", "approve"));

    Http.Response r = http.post("/api/v1/approvals/bulk-respond", org.token(), Map.of("items", items));

    assertError(r, 400, "invalid_request");
    assertApprovalStillPending(org, id);
  }

  @Test
  void bulk_with101Ids_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);
    List<Object> ids = new ArrayList<>();
    ids.add(id);
    for (int i = 1; i < 101; i++) ids.add("apr_unknown" + i);

    Http.Response r = http.post("/api/v1/approvals/bulk-respond", org.token(),
        Map.of("ids", ids, "decision", "approve"));

    assertError(r, 400, "invalid_request");
    assertApprovalStillPending(org, id);
  }

  @Test
  void bulk_with100Items_answersEachOnItsOwn() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);
    List<Object> items = new ArrayList<>();
    items.add(Map.of("id", id, "decision", "approve"));
    for (int i = 1; i < 100; i++) items.add(Map.of("id", "apr_unknown" + i, "decision", "approve"));

    Http.Response r = http.post("/api/v1/approvals/bulk-respond", org.token(), Map.of("items", items));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("results")).hasSize(100);
    assertThat(r.json().path("succeeded").asInt()).isEqualTo(1);
    assertThat(r.json().path("failed").asInt()).isEqualTo(99);
    assertThat(getApproval(org, id).path("status").asText()).isEqualTo("approved");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("itemsThatAreNotObjects")
  void bulk_withItemsThatAreNotObjects_returns400AndChangesNothing(String why, Object notAnObject) throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);
    List<Object> items = new ArrayList<>();
    items.add(Map.of("id", id, "decision", "approve"));
    items.add(notAnObject);

    Http.Response r = http.post("/api/v1/approvals/bulk-respond", org.token(), Map.of("items", items));

    assertError(r, 400, "invalid_request");
    assertApprovalStillPending(org, id);
  }

  static Stream<Arguments> itemsThatAreNotObjects() {
    return Stream.of(Arguments.of("a string", "apr_x"), Arguments.of("a number", 5),
        Arguments.of("an array", List.of("apr_x", "approve")));
  }

  @Test
  void bulk_withAnItemWithoutAnId_reportsItAndAnswersTheOthers() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.post("/api/v1/approvals/bulk-respond", org.token(), Map.of("items", List.of(
        Map.of("decision", "approve"), map("id", 5, "decision", "approve"), Map.of("id", id, "decision", "deny"))));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode results = r.json().path("results");
    assertThat(results.get(0).path("ok").asBoolean()).isFalse();
    assertThat(results.get(0).path("status").asInt()).isEqualTo(400);
    assertThat(results.get(0).path("error").asText()).isEqualTo("invalid_request");
    assertThat(results.get(1).path("status").asInt()).isEqualTo(400);
    assertThat(results.get(2).path("ok").asBoolean()).isTrue();
    assertThat(results.get(2).path("approval").path("status").asText()).isEqualTo("denied");
    assertThat(getApproval(org, id).path("status").asText()).isEqualTo("denied");
  }

  @Test
  void bulk_withWrongTypesInAnItem_refusesThatItemAndChangesNothingForIt() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.post("/api/v1/approvals/bulk-respond", org.token(), Map.of("items", List.of(
        Map.of("id", id, "decision", "approve", "comment", List.of()))));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode result = r.json().path("results").get(0);
    assertThat(result.path("ok").asBoolean()).isFalse();
    assertThat(result.path("status").asInt()).isEqualTo(400);
    assertThat(result.path("error").asText()).isEqualTo("invalid_request");
    assertThat(result.path("message").asText()).contains("comment");
    assertApprovalStillPending(org, id);
  }

  @Test
  void bulk_withIdsAndADecision_answersEveryOne() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");
    String a = waitingApproval(org, "approval-demo", input("question", "a")).path("id").asText();
    String b = waitingApproval(org, "approval-demo", input("question", "b")).path("id").asText();

    Http.Response r = http.post("/api/v1/approvals/bulk-respond", org.token(),
        Map.of("ids", List.of(a, b), "decision", "deny", "comment", "batch", "responder", "frank"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("succeeded").asInt()).isEqualTo(2);
    assertThat(r.json().path("failed").asInt()).isZero();
    assertThat(ids(r.json().path("results"))).containsExactly(a, b);
    for (String id : List.of(a, b)) {
      JsonNode view = getApproval(org, id);
      assertThat(view.path("status").asText()).isEqualTo("denied");
      assertThat(view.path("comment").asText()).isEqualTo("batch");
      assertThat(view.path("responder").path("name").asText()).isEqualTo("frank");
    }
  }

  @Test
  void bulk_withIdsAndNoDecision_refusesEachAndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.post("/api/v1/approvals/bulk-respond", org.token(), Map.of("ids", List.of(id)));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("results").get(0).path("status").asInt()).isEqualTo(400);
    assertThat(r.json().path("succeeded").asInt()).isZero();
    assertApprovalStillPending(org, id);
  }

  @Test
  void bulk_withTheSameIdTwice_answersItOnceAndReports409ForTheSecond() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.post("/api/v1/approvals/bulk-respond", org.token(), Map.of("items", List.of(
        Map.of("id", id, "decision", "approve"), Map.of("id", id, "decision", "deny"))));

    JsonNode results = r.json().path("results");
    assertThat(results.get(0).path("ok").asBoolean()).isTrue();
    assertThat(results.get(1).path("status").asInt()).isEqualTo(409);
    assertThat(results.get(1).path("error").asText()).isEqualTo("already_resolved");
    assertThat(getApproval(org, id).path("status").asText()).isEqualTo("approved");
  }

  @Test
  void bulk_withAQuestionIdOrAnotherOrgsId_reports404ForEachAndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String questionId = pendingQuestion(org);
    TestOrg other = newOrg();
    String othersId = pendingApproval(other);

    Http.Response r = http.post("/api/v1/approvals/bulk-respond", org.token(),
        Map.of("ids", List.of(questionId, othersId), "decision", "approve"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode results = r.json().path("results");
    assertThat(results.get(0).path("status").asInt()).isEqualTo(404);
    assertThat(results.get(1).path("status").asInt()).isEqualTo(404);
    assertThat(results.get(1).path("error").asText()).isEqualTo("not_found");
    assertQuestionStillPending(org, questionId);
    assertApprovalStillPending(other, othersId);
  }

  @Test
  void bulk_withATokenWithoutRunsWrite_returns403AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingApproval(org);

    Http.Response r = http.post("/api/v1/approvals/bulk-respond", reader(org),
        Map.of("ids", List.of(id), "decision", "approve"));

    assertError(r, 403, "insufficient_scope");
    assertApprovalStillPending(org, id);
  }

  @Test
  void bulk_async_submitsEachAnswerAndTheRunsApplyThem() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");
    JsonNode a = waitingApproval(org, "approval-demo", input("question", "a"));

    Http.Response r = http.post("/api/v1/approvals/bulk-respond", org.token(),
        Map.of("ids", List.of(a.path("id").asText()), "decision", "approve"), ASYNC);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode result = r.json().path("results").get(0);
    assertThat(result.path("ok").asBoolean()).isTrue();
    assertThat(result.path("status").asInt()).isEqualTo(202);
    assertThat(result.path("approval").path("status").asText()).isEqualTo("submitted");
    assertThat(awaitEnd(org, a.path("run_id").asText()).path("status").asText()).isEqualTo("completed");
    assertThat(getApproval(org, a.path("id").asText()).path("status").asText()).isEqualTo("approved");
  }

  // ------------------------------------------------------------------------------------------ stats, cleanup

  @Test
  void toolStats_ofAnUnknownTool_returns404() {
    TestOrg org = newOrg();

    assertError(http.get("/api/v1/approvals/tools/no_such_tool/stats", org.token()), 404, "not_found");
  }

  @Test
  void toolStats_ofABuiltInToolNeverAsked_returnsZeros() {
    TestOrg org = newOrg();

    Http.Response r = http.get("/api/v1/approvals/tools/json_path/stats", org.token());

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("tool").asText()).isEqualTo("json_path");
    assertThat(r.json().path("total").asLong()).isZero();
    assertThat(r.json().path("approve_rate").isNull()).isTrue();
    assertThat(r.json().path("median_wait_ms").isNull()).isTrue();
  }

  @Test
  void cleanup_withATokenWithoutRunsWrite_returns403() {
    TestOrg org = newOrg();

    assertError(http.post("/api/v1/approvals/cleanup-expired", reader(org), Map.of()), 403,
        "insufficient_scope");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/api/v1/approvals/pending", "/api/v1/approvals/apr_x",
      "/api/v1/approvals/tools/calculator/stats", "/api/v1/approvals/dashboard/summary", "/api/v1/questions/pending",
      "/api/v1/questions/qst_x"})
  void reads_withATokenWithoutRunsRead_return403(String path) {
    TestOrg org = newOrg(List.of("flows:read", "flows:write"));

    assertError(http.get(path, org.token()), 403, "insufficient_scope");
  }

  @Test
  void summary_withoutAToken_returns401() {
    assertThat(http.get("/api/v1/approvals/dashboard/summary", null).status()).isEqualTo(401);
  }
}
