package io.durableflows.api.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Questions a run asks (free text, JSON matching a schema, a choice), answered through /api/v1/questions: a
 * fitting answer reaches the next node; one that does not fit is refused with 400 and changes nothing.
 */
class QuestionRoutesTest extends HitlApiTest {
  private static final Map<String, Object> ORDER_SCHEMA = parse("""
      {"type": "object", "required": ["sku", "qty"], "additionalProperties": false,
       "properties": {"sku": {"type": "string", "minLength": 1}, "qty": {"type": "integer", "minimum": 1}}}""");

  /** A text question whose answer the raw output repeats. */
  private JsonNode pendingTextQuestion(TestOrg org) throws InterruptedException {
    createFlow(org, questionFlow("ask-text", Map.of("question", "What about {{input.topic}}?"),
        Map.of("shape", "raw")));
    return awaitQuestion(org, startAsync(org, "ask-text", input("topic", "tides")));
  }

  /** A JSON question; the output hands the answer on with its types, whole and by field. */
  private JsonNode pendingJsonQuestion(TestOrg org) throws InterruptedException {
    createFlow(org, questionFlow("ask-json",
        Map.of("question", "Which order for {{input.topic}}?", "answerType", "json", "schema", ORDER_SCHEMA),
        Map.of("shape", "json_template",
            "template", Map.of("order", "{{ask.answer}}", "qty", "{{ask.answer.qty}}", "text", "{{ask}}"))));
    return awaitQuestion(org, startAsync(org, "ask-json", input("topic", "tea")));
  }

  private JsonNode pendingChoiceQuestion(TestOrg org) throws InterruptedException {
    createExample(org, "question-demo");
    return awaitQuestion(org, startAsync(org, "question-demo", input("topic", "tides")));
  }

  // ------------------------------------------------------------------------------------------ text

  @Test
  void pending_showsTheQuestionWithItsType() throws Exception {
    TestOrg org = newOrg();

    JsonNode question = pendingTextQuestion(org);

    assertThat(question.path("id").asText()).startsWith("qst_");
    assertThat(question.path("kind").asText()).isEqualTo("question");
    assertThat(question.path("status").asText()).isEqualTo("pending");
    assertThat(question.path("question").asText()).isEqualTo("What about tides?");
    assertThat(question.path("answer_type").asText()).isEqualTo("text");
    assertThat(question.path("flow").asText()).isEqualTo("ask-text");
    assertThat(question.path("node").asText()).isEqualTo("ask");
    assertThat(question.path("respond_url").asText())
        .isEqualTo("/api/v1/questions/" + question.path("id").asText() + "/respond");
  }

  @Test
  void respond_withATextAnswer_completesTheRunWithIt() throws Exception {
    TestOrg org = newOrg();
    JsonNode question = pendingTextQuestion(org);
    String id = question.path("id").asText();

    Http.Response r = answer(org, id, Map.of("answer", "they follow the moon", "comment", "from memory",
        "responder", "gina"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("answered");
    assertThat(r.json().path("answer").asText()).isEqualTo("they follow the moon");
    assertThat(r.json().path("responder").path("name").asText()).isEqualTo("gina");
    JsonNode run = awaitEnd(org, question.path("run_id").asText());
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("output").asText()).isEqualTo("they follow the moon");
    JsonNode view = getQuestion(org, id);
    assertThat(view.path("status").asText()).isEqualTo("answered");
    assertThat(view.path("comment").asText()).isEqualTo("from memory");
    assertThat(view.path("resolved_at").asText()).isNotBlank();
  }

  @Test
  void respond_twice_returns409AndKeepsTheFirstAnswer() throws Exception {
    TestOrg org = newOrg();
    String id = pendingTextQuestion(org).path("id").asText();
    assertThat(answer(org, id, Map.of("answer", "first")).status()).isEqualTo(200);

    Http.Response r = answer(org, id, Map.of("answer", "second"));

    assertError(r, 409, "already_resolved");
    assertThat(getQuestion(org, id).path("answer").asText()).isEqualTo("first");
  }

  static Stream<Arguments> unfitTextAnswers() {
    return Stream.of(
        Arguments.of("a number", map("answer", 5)),
        Arguments.of("an empty string", map("answer", "")),
        Arguments.of("a blank string", map("answer", "   ")),
        Arguments.of("an object", map("answer", map("text", "x"))),
        Arguments.of("too long", map("answer", "a".repeat(10_001))),
        Arguments.of("a comment too long", map("answer", "ok", "comment", "c".repeat(4001))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unfitTextAnswers")
  void respond_toATextQuestionWithAnAnswerThatDoesNotFit_returns400AndChangesNothing(String why,
      Map<String, Object> body) throws Exception {
    TestOrg org = newOrg();
    String id = pendingTextQuestion(org).path("id").asText();

    Http.Response r = answer(org, id, body);

    assertError(r, 400, "invalid_answer");
    assertThat(r.json().path("details").isArray()).isTrue();
    assertQuestionStillPending(org, id);
  }

  // ------------------------------------------------------------------------------------------ json

  @Test
  void pending_ofAJsonQuestion_showsItsSchema() throws Exception {
    TestOrg org = newOrg();

    JsonNode question = pendingJsonQuestion(org);

    assertThat(question.path("answer_type").asText()).isEqualTo("json");
    assertThat(question.path("schema")).isEqualTo(Http.JSON.valueToTree(ORDER_SCHEMA));
  }

  @Test
  void respond_withJsonMatchingTheSchema_handsTheValueToTheNextNode() throws Exception {
    TestOrg org = newOrg();
    JsonNode question = pendingJsonQuestion(org);

    Http.Response r = answer(org, question.path("id").asText(), Map.of("answer", Map.of("sku", "TEA-1", "qty", 3)));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("answer")).isEqualTo(Http.JSON.valueToTree(Map.of("sku", "TEA-1", "qty", 3)));
    JsonNode run = awaitEnd(org, question.path("run_id").asText());
    assertThat(run.path("status").asText()).isEqualTo("completed");
    JsonNode output = run.path("output");
    assertThat(output.path("order")).isEqualTo(Http.JSON.valueToTree(Map.of("sku", "TEA-1", "qty", 3)));
    assertThat(output.path("qty").isIntegralNumber()).as(output.toString()).isTrue();
    assertThat(output.path("qty").asInt()).isEqualTo(3);
  }

  static Stream<Arguments> unfitJsonAnswers() {
    return Stream.of(
        Arguments.of("qty below the minimum", map("sku", "TEA-1", "qty", 0), "qty"),
        Arguments.of("qty a string", map("sku", "TEA-1", "qty", "3"), "qty"),
        Arguments.of("sku missing", map("qty", 3), "sku"),
        Arguments.of("an extra property", map("sku", "TEA-1", "qty", 3, "gift", true), "gift"),
        Arguments.of("not an object", "TEA-1 x3", "object"),
        Arguments.of("an array", List.of("TEA-1", 3), "object"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unfitJsonAnswers")
  void respond_withJsonBreakingTheSchema_returns400WithDetailsAndChangesNothing(String why, Object value,
      String named) throws Exception {
    TestOrg org = newOrg();
    String id = pendingJsonQuestion(org).path("id").asText();

    Http.Response r = answer(org, id, Map.of("answer", value));

    assertError(r, 400, "invalid_answer");
    JsonNode details = r.json().path("details");
    assertThat(details.isArray()).isTrue();
    assertThat(details).isNotEmpty();
    assertThat(details.toString()).contains(named);
    assertQuestionStillPending(org, id);
  }

  // ------------------------------------------------------------------------------------------ choice

  @Test
  void respond_withAChoiceThatDiffersOnlyInCase_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingChoiceQuestion(org).path("id").asText();

    Http.Response r = answer(org, id, Map.of("answer", "Step By Step"));

    assertError(r, 400, "invalid_answer");
    assertQuestionStillPending(org, id);
  }

  @Test
  void respond_withAListOfChoices_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingChoiceQuestion(org).path("id").asText();

    Http.Response r = answer(org, id, Map.of("answer", List.of("one sentence")));

    assertError(r, 400, "invalid_answer");
    assertQuestionStillPending(org, id);
  }

  // ------------------------------------------------------------------------------------------ bad input

  @Test
  void respond_withMalformedJson_returns400AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingTextQuestion(org).path("id").asText();

    Http.Response r = http.postRaw("/api/v1/questions/" + id + "/respond", org.token(), "application/json",
        "{\"answer\": \"x\",");

    assertError(r, 400, "invalid_json");
    assertQuestionStillPending(org, id);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"[]", "\"yes\"", "null", ""})
  void respond_withABodyThatIsNotAnObject_returns400AndChangesNothing(String body) throws Exception {
    TestOrg org = newOrg();
    String id = pendingTextQuestion(org).path("id").asText();

    Http.Response r = http.postRaw("/api/v1/questions/" + id + "/respond", org.token(), "application/json", body);

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertQuestionStillPending(org, id);
  }

  static Stream<Arguments> malformedAnswers() {
    return Stream.of(
        Arguments.of("answer missing", map("comment", "x")),
        Arguments.of("answer null", map("answer", null)),
        Arguments.of("a decision instead of an answer", map("decision", "approve")),
        Arguments.of("comment an array", map("answer", "x", "comment", List.of())),
        Arguments.of("comment a number", map("answer", "x", "comment", 1)),
        Arguments.of("responder empty", map("answer", "x", "responder", "")),
        Arguments.of("responder a list", map("answer", "x", "responder", List.of("a"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedAnswers")
  void respond_withWrongTypesOrMissingAnswer_returns400AndChangesNothing(String why, Map<String, Object> body)
      throws Exception {
    TestOrg org = newOrg();
    String id = pendingTextQuestion(org).path("id").asText();

    Http.Response r = answer(org, id, body);

    assertError(r, 400, "invalid_request");
    assertQuestionStillPending(org, id);
  }

  @Test
  void respond_toAnUnknownId_returns404() {
    TestOrg org = newOrg();

    assertError(answer(org, "qst_doesnotexist", Map.of("answer", "x")), 404, "not_found");
  }

  @Test
  void get_ofAnUnknownId_returns404() {
    TestOrg org = newOrg();

    assertError(http.get("/api/v1/questions/qst_doesnotexist", org.token()), 404, "not_found");
  }

  @Test
  void respond_toAnotherOrgsQuestion_returns404AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingTextQuestion(org).path("id").asText();
    TestOrg other = newOrg();

    assertError(answer(other, id, Map.of("answer", "x")), 404, "not_found");
    assertError(http.get("/api/v1/questions/" + id, other.token()), 404, "not_found");
    assertThat(http.get("/api/v1/questions/pending", other.token()).json().path("data")).isEmpty();
    assertQuestionStillPending(org, id);
  }

  @Test
  void respond_toAnApprovalIdThroughTheQuestionsRoute_returns404AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");
    String approvalId = waitingApproval(org, "approval-demo", input("question", "q")).path("id").asText();

    assertError(answer(org, approvalId, Map.of("answer", "approve")), 404, "not_found");
    assertError(http.get("/api/v1/questions/" + approvalId, org.token()), 404, "not_found");
    assertApprovalStillPending(org, approvalId);
  }

  @Test
  void respond_withATokenWithoutRunsWrite_returns403AndChangesNothing() throws Exception {
    TestOrg org = newOrg();
    String id = pendingTextQuestion(org).path("id").asText();
    String reader = tokens.mint(org.id(), "reader", List.of("runs:read")).token();

    Http.Response r = http.post("/api/v1/questions/" + id + "/respond", reader, Map.of("answer", "x"));

    assertError(r, 403, "insufficient_scope");
    assertThat(http.get("/api/v1/questions/" + id, reader).status()).isEqualTo(200);
    assertQuestionStillPending(org, id);
  }

  @ParameterizedTest(name = "limit={0}")
  @ValueSource(strings = {"0", "101", "x"})
  void pending_withALimitOutside1To100_returns400(String limit) {
    TestOrg org = newOrg();

    assertError(http.get("/api/v1/questions/pending?limit=" + limit, org.token()), 400, "invalid_request");
  }

  @Test
  void pending_withABadCursor_returns400() {
    TestOrg org = newOrg();

    assertError(http.get("/api/v1/questions/pending?cursor=bm9wZQ", org.token()), 400, "invalid_request");
  }

  @Test
  void pending_listsQuestionsOnly_andApprovalsListsNoQuestions() throws Exception {
    TestOrg org = newOrg();
    String questionId = pendingTextQuestion(org).path("id").asText();
    createExample(org, "approval-demo");
    String approvalId = waitingApproval(org, "approval-demo", input("question", "q")).path("id").asText();

    assertThat(ids(http.get("/api/v1/questions/pending", org.token()).json().path("data")))
        .containsExactly(questionId);
    assertThat(ids(http.get("/api/v1/approvals/pending", org.token()).json().path("data")))
        .containsExactly(approvalId);
  }
}
