package io.durableflows.workflows.hitl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.durableflows.workflows.tools.BuiltInTools;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HumanRequestsTest {
  private static final long CREATED = 1_000_000L;
  private static final long EXPIRES = CREATED + 60_000;
  private static final long NOW = CREATED + 5_000;
  private static final Map<String, Object> CALCULATOR_SCHEMA = BuiltInTools.find("calculator").orElseThrow().parameters();
  private static final Map<String, Object> PLAN_SCHEMA = Map.of(
      "type", "object",
      "required", List.of("steps"),
      "properties", Map.of("steps", Map.of("type", "integer", "minimum", 1)));

  private static HumanRequest approval(String timeoutDecision, Long expiresAt) {
    return new HumanRequest("apr_1", HumanRequest.APPROVAL, "review", "May we?", Map.of("q", "why"), null, null, null,
        null, null, null, null, timeoutDecision, null, CREATED, expiresAt);
  }

  private static final HumanRequest APPROVAL = approval(HumanAnswer.DENY, EXPIRES);
  private static final HumanRequest TOOL_APPROVAL = new HumanRequest("apr_2", HumanRequest.APPROVAL, "calc",
      "Run calculator?", null, "calculator", Map.of("expression", "1+1"), CALCULATOR_SCHEMA,
      "this tool always needs approval", null, null, null, HumanAnswer.DENY, null, CREATED, null);

  private static HumanRequest question(String type, List<String> choices, Map<String, Object> schema,
      Object timeoutAnswer) {
    return new HumanRequest("qst_1", HumanRequest.QUESTION, "depth", "How deep?", null, null, null, null, null, type,
        choices, schema, null, timeoutAnswer, CREATED, EXPIRES);
  }

  private static final HumanRequest TEXT = question("text", null, null, null);
  private static final HumanRequest CHOICE = question("choice", List.of("short", "long"), null, "short");
  private static final HumanRequest JSON = question("json", null, PLAN_SCHEMA, null);

  private static HumanAnswer decide(HumanRequest request, String action) {
    return new HumanAnswer(request.id(), action, "ok", null, null, "tok_1", "alice");
  }

  private static HumanAnswer modify(HumanRequest request, String action, Map<String, Object> arguments) {
    return new HumanAnswer(request.id(), action, null, arguments, null, "tok_1", "alice");
  }

  private static HumanAnswer answer(HumanRequest request, Object value) {
    return new HumanAnswer(request.id(), HumanAnswer.ANSWER, null, null, value, "tok_1", "bob");
  }

  private static String refusal(HumanRequest request, HumanResolution resolved, HumanAnswer answer, long now) {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class,
        () -> HumanRequests.check(request, resolved, answer, now));
    assertThat(failure).as("refusal").isNotNull();
    assertThat(failure.isNonRetryable()).isTrue();
    return failure.getType();
  }

  // ------------------------------------------------------------------------------------------ check

  @Test
  void check_withAFittingAnswerInTime_accepts() {
    assertThatCode(() -> HumanRequests.check(APPROVAL, null, decide(APPROVAL, HumanAnswer.APPROVE), NOW))
        .doesNotThrowAnyException();
  }

  @Test
  void check_withNoRequestOfThatId_refusesWithRequestNotFound() {
    assertThat(refusal(null, null, decide(APPROVAL, HumanAnswer.APPROVE), NOW))
        .isEqualTo(HitlFailures.REQUEST_NOT_FOUND);
  }

  @Test
  void check_withNoAnswer_refusesWithInvalidAnswer() {
    assertThat(refusal(APPROVAL, null, null, NOW)).isEqualTo(HitlFailures.INVALID_ANSWER);
  }

  @Test
  void check_withAnAnswerNamingNoRequest_refusesWithInvalidAnswer() {
    assertThat(refusal(APPROVAL, null, new HumanAnswer(null, HumanAnswer.APPROVE, null, null, null, null, null), NOW))
        .isEqualTo(HitlFailures.INVALID_ANSWER);
  }

  @Test
  void check_withARequestAlreadyAnswered_refusesWithAlreadyResolved() {
    HumanResolution first = HumanRequests.resolve(APPROVAL, decide(APPROVAL, HumanAnswer.APPROVE), NOW);

    assertThat(refusal(APPROVAL, first, decide(APPROVAL, HumanAnswer.DENY), NOW + 1))
        .isEqualTo(HitlFailures.ALREADY_RESOLVED);
  }

  @Test
  void check_withARequestAlreadyCancelled_refusesWithAlreadyResolved() {
    HumanResolution cancelled = HumanRequests.resolve(APPROVAL, decide(APPROVAL, HumanAnswer.CANCEL), NOW);

    assertThat(refusal(APPROVAL, cancelled, decide(APPROVAL, HumanAnswer.APPROVE), NOW + 1))
        .isEqualTo(HitlFailures.ALREADY_RESOLVED);
  }

  @Test
  void check_withARequestThatExpiredIntoItsTimeoutDecision_refusesWithRequestExpired() {
    HumanResolution expired = HumanRequests.expire(APPROVAL, EXPIRES);

    assertThat(refusal(APPROVAL, expired, decide(APPROVAL, HumanAnswer.APPROVE), EXPIRES + 1))
        .isEqualTo(HitlFailures.REQUEST_EXPIRED);
  }

  @Test
  void check_afterTheExpiryBeforeTheRunNoticed_refusesWithRequestExpired() {
    assertThat(refusal(APPROVAL, null, decide(APPROVAL, HumanAnswer.APPROVE), EXPIRES))
        .isEqualTo(HitlFailures.REQUEST_EXPIRED);
  }

  @Test
  void check_withoutATimeout_acceptsAnAnswerHoweverLate() {
    HumanRequest untimed = approval(null, null);

    assertThatCode(() -> HumanRequests.check(untimed, null, decide(untimed, HumanAnswer.DENY), Long.MAX_VALUE))
        .doesNotThrowAnyException();
  }

  @Test
  void check_withAnAnswerThatDoesNotFit_refusesWithInvalidAnswer() {
    assertThat(refusal(APPROVAL, null, decide(APPROVAL, "maybe"), NOW)).isEqualTo(HitlFailures.INVALID_ANSWER);
  }

  @Test
  void check_withAnUnknownRequestAndABadAnswer_reportsTheUnknownRequestFirst() {
    assertThat(refusal(null, null, decide(APPROVAL, "maybe"), NOW)).isEqualTo(HitlFailures.REQUEST_NOT_FOUND);
  }

  // ------------------------------------------------------------------------------------------ problems: approvals

  @ParameterizedTest
  @ValueSource(strings = {HumanAnswer.APPROVE, HumanAnswer.DENY, HumanAnswer.CANCEL})
  void problems_ofADecisionOnAnApproval_areNone(String action) {
    assertThat(HumanRequests.problems(APPROVAL, decide(APPROVAL, action))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"maybe", "answer", "APPROVE"})
  void problems_ofAnUnknownDecision_sayApproveOrDeny(String action) {
    assertThat(HumanRequests.problems(APPROVAL, decide(APPROVAL, action))).containsExactly("decision must be approve or deny");
  }

  @Test
  void problems_ofAnAnswerToAnApproval_sayItTakesADecision() {
    var answer = new HumanAnswer(APPROVAL.id(), HumanAnswer.APPROVE, null, null, "yes", null, null);

    assertThat(HumanRequests.problems(APPROVAL, answer)).containsExactly("an approval takes a decision, not an answer");
  }

  @Test
  void problems_ofModifiedArgumentsOnAnApprovalNode_sayTheyOnlyApplyToToolCalls() {
    assertThat(HumanRequests.problems(APPROVAL, modify(APPROVAL, HumanAnswer.APPROVE, Map.of("expression", "2"))))
        .containsExactly("modified_arguments only apply to tool-call approvals");
  }

  @Test
  void problems_ofModifiedArgumentsWithDeny_sayTheyGoWithApprove() {
    assertThat(HumanRequests.problems(TOOL_APPROVAL,
        modify(TOOL_APPROVAL, HumanAnswer.DENY, Map.of("expression", "2"))))
        .containsExactly("modified_arguments go with approve");
  }

  @Test
  void problems_ofModifiedArgumentsMatchingTheToolSchema_areNone() {
    assertThat(HumanRequests.problems(TOOL_APPROVAL,
        modify(TOOL_APPROVAL, HumanAnswer.APPROVE, Map.of("expression", "2*3")))).isEmpty();
  }

  @Test
  void problems_ofModifiedArgumentsBreakingTheToolSchema_nameEachViolation() {
    var problems = HumanRequests.problems(TOOL_APPROVAL,
        modify(TOOL_APPROVAL, HumanAnswer.APPROVE, Map.of("expr", "2*3")));

    assertThat(problems).hasSize(2).allMatch(p -> p.startsWith("modified_arguments: "));
    assertThat(String.join(" ", problems)).contains("expression", "expr");
  }

  @Test
  void problems_ofATooLongComment_sayTheLimit() {
    var answer = new HumanAnswer(APPROVAL.id(), HumanAnswer.DENY, "x".repeat(HumanRequests.MAX_COMMENT + 1), null,
        null, null, null);

    assertThat(HumanRequests.problems(APPROVAL, answer)).containsExactly("comment must be at most 4000 characters");
  }

  // ------------------------------------------------------------------------------------------ problems: questions

  @Test
  void problems_ofADecisionOnAQuestion_sayItTakesAnAnswer() {
    assertThat(HumanRequests.problems(TEXT, decide(TEXT, HumanAnswer.APPROVE))).containsExactly("a question takes an answer");
  }

  @Test
  void problems_ofATextAnswer_areNone() {
    assertThat(HumanRequests.problems(TEXT, answer(TEXT, "Go deep."))).isEmpty();
  }

  @Test
  void problems_ofABlankTextAnswer_sayItMustBeNonEmpty() {
    assertThat(HumanRequests.problems(TEXT, answer(TEXT, "  "))).containsExactly("answer must be a non-empty string");
  }

  @Test
  void problems_ofANonStringTextAnswer_sayItMustBeAString() {
    assertThat(HumanRequests.problems(TEXT, answer(TEXT, 42))).containsExactly("answer must be a non-empty string");
  }

  @Test
  void problems_ofATooLongTextAnswer_sayTheLimit() {
    assertThat(HumanRequests.problems(TEXT, answer(TEXT, "x".repeat(HumanRequests.MAX_TEXT_ANSWER + 1))))
        .containsExactly("answer must be at most 10000 characters");
  }

  @Test
  void problems_ofAnOfferedChoice_areNone() {
    assertThat(HumanRequests.problems(CHOICE, answer(CHOICE, "long"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"medium", "Long", ""})
  void problems_ofAChoiceNotOffered_listTheChoices(String choice) {
    assertThat(HumanRequests.problems(CHOICE, answer(CHOICE, choice)))
        .containsExactly("answer must be one of [short, long]");
  }

  @Test
  void problems_ofAJsonAnswerMatchingTheSchema_areNone() {
    assertThat(HumanRequests.problems(JSON, answer(JSON, Map.of("steps", 3)))).isEmpty();
  }

  @Test
  void problems_ofAJsonAnswerBreakingTheSchema_nameTheViolation() {
    assertThat(HumanRequests.problems(JSON, answer(JSON, Map.of("steps", 0))))
        .singleElement().asString().startsWith("answer: ").contains("steps");
  }

  @Test
  void problems_ofAMissingJsonAnswer_sayItIsRequired() {
    assertThat(HumanRequests.problems(JSON, answer(JSON, null)))
        .containsExactly("answer is required: JSON matching the question's schema");
  }

  @Test
  void answerProblems_withoutAType_treatTheAnswerAsText() {
    assertThat(HumanRequests.answerProblems(null, null, null, "fine")).isEmpty();
    assertThat(HumanRequests.answerProblems(null, null, null, List.of("x"))).isNotEmpty();
  }

  // ------------------------------------------------------------------------------------------ resolve

  @Test
  void resolve_withApprove_isApprovedWithDecisionApprove() {
    HumanResolution r = HumanRequests.resolve(APPROVAL, decide(APPROVAL, HumanAnswer.APPROVE), NOW);

    assertThat(r).isEqualTo(new HumanResolution("apr_1", HumanRequest.APPROVAL, HumanResolution.APPROVED,
        HumanAnswer.APPROVE, null, null, false, "ok", "tok_1", "alice", NOW, NOW - CREATED));
    assertThat(r.approved()).isTrue();
  }

  @Test
  void resolve_withDeny_isDeniedWithDecisionDeny() {
    HumanResolution r = HumanRequests.resolve(APPROVAL, decide(APPROVAL, HumanAnswer.DENY), NOW);

    assertThat(r.status()).isEqualTo(HumanResolution.DENIED);
    assertThat(r.decision()).isEqualTo(HumanAnswer.DENY);
    assertThat(r.approved()).isFalse();
  }

  @Test
  void resolve_withCancel_isCancelledAndDenies() {
    HumanResolution r = HumanRequests.resolve(APPROVAL, decide(APPROVAL, HumanAnswer.CANCEL), NOW);

    assertThat(r.status()).isEqualTo(HumanResolution.CANCELLED);
    assertThat(r.decision()).isEqualTo(HumanAnswer.DENY);
    assertThat(r.approved()).isFalse();
  }

  @Test
  void resolve_withModifiedArguments_recordsThemAsModified() {
    HumanResolution r = HumanRequests.resolve(TOOL_APPROVAL,
        modify(TOOL_APPROVAL, HumanAnswer.APPROVE, Map.of("expression", "2*3")), NOW);

    assertThat(r.arguments()).isEqualTo(Map.of("expression", "2*3"));
    assertThat(r.argumentsModified()).isTrue();
  }

  @Test
  void resolve_ofAToolCallWithoutModifiedArguments_keepsTheProposedArguments() {
    HumanResolution r = HumanRequests.resolve(TOOL_APPROVAL, decide(TOOL_APPROVAL, HumanAnswer.APPROVE), NOW);

    assertThat(r.arguments()).isEqualTo(Map.of("expression", "1+1"));
    assertThat(r.argumentsModified()).isFalse();
  }

  @Test
  void resolve_ofAQuestion_isAnsweredWithTheAnswerAndNoDecision() {
    HumanResolution r = HumanRequests.resolve(CHOICE, answer(CHOICE, "long"), NOW);

    assertThat(r.status()).isEqualTo(HumanResolution.ANSWERED);
    assertThat(r.answer()).isEqualTo("long");
    assertThat(r.decision()).isNull();
    assertThat(r.kind()).isEqualTo(HumanRequest.QUESTION);
    assertThat(r.responderName()).isEqualTo("bob");
  }

  @Test
  void resolve_beforeTheRequestWasCreated_waitedNoTime() {
    assertThat(HumanRequests.resolve(APPROVAL, decide(APPROVAL, HumanAnswer.APPROVE), CREATED - 10).waitedMs())
        .isZero();
  }

  // ------------------------------------------------------------------------------------------ expire

  @Test
  void expire_ofAnApprovalWithTimeoutDecisionApprove_approves() {
    HumanResolution r = HumanRequests.expire(approval(HumanAnswer.APPROVE, EXPIRES), EXPIRES);

    assertThat(r.status()).isEqualTo(HumanResolution.EXPIRED);
    assertThat(r.decision()).isEqualTo(HumanAnswer.APPROVE);
    assertThat(r.approved()).isTrue();
    assertThat(r.waitedMs()).isEqualTo(EXPIRES - CREATED);
    assertThat(r.responderName()).isNull();
  }

  @Test
  void expire_ofAnApprovalWithTimeoutDecisionDeny_denies() {
    HumanResolution r = HumanRequests.expire(APPROVAL, EXPIRES);

    assertThat(r.status()).isEqualTo(HumanResolution.EXPIRED);
    assertThat(r.decision()).isEqualTo(HumanAnswer.DENY);
  }

  @Test
  void expire_ofAnApprovalWithoutTimeoutDecision_denies() {
    assertThat(HumanRequests.expire(approval(null, EXPIRES), EXPIRES).decision()).isEqualTo(HumanAnswer.DENY);
  }

  @Test
  void expire_ofAToolApproval_keepsTheProposedArgumentsUnmodified() {
    HumanResolution r = HumanRequests.expire(TOOL_APPROVAL, EXPIRES);

    assertThat(r.arguments()).isEqualTo(Map.of("expression", "1+1"));
    assertThat(r.argumentsModified()).isFalse();
  }

  @Test
  void expire_ofAQuestionWithTimeoutAnswer_answersWithIt() {
    HumanResolution r = HumanRequests.expire(CHOICE, EXPIRES);

    assertThat(r.status()).isEqualTo(HumanResolution.EXPIRED);
    assertThat(r.answer()).isEqualTo("short");
    assertThat(r.decision()).isNull();
  }

  @Test
  void expire_ofAQuestionWithoutTimeoutAnswer_hasNoAnswer() {
    HumanResolution r = HumanRequests.expire(TEXT, EXPIRES);

    assertThat(r.status()).isEqualTo(HumanResolution.EXPIRED);
    assertThat(r.answer()).isNull();
  }

  @Test
  void check_withAnAnswerSubmittedBeforeTheTimeoutButReadAfterIt_accepts() {
    HumanAnswer signalled = new HumanAnswer(APPROVAL.id(), HumanAnswer.APPROVE, null, null, null, "tok_1", "alice",
        EXPIRES - 1_000);

    HumanRequests.check(APPROVAL, null, signalled, EXPIRES + 300_000);
  }

  @Test
  void check_withAnAnswerSubmittedAfterTheTimeout_refusesWithRequestExpired() {
    HumanAnswer late = new HumanAnswer(APPROVAL.id(), HumanAnswer.APPROVE, null, null, null, "tok_1", "alice",
        EXPIRES + 1_000);

    assertThat(refusal(APPROVAL, null, late, EXPIRES + 2_000)).isEqualTo(HitlFailures.REQUEST_EXPIRED);
  }

  @Test
  void check_withNoAction_refusesWithInvalidAnswer() {
    assertThat(refusal(APPROVAL, null, decide(APPROVAL, null), NOW)).isEqualTo(HitlFailures.INVALID_ANSWER);
  }

  @Test
  void check_withAnAnswerOverTheSizeLimit_refusesWithInvalidAnswer() {
    String big = "x".repeat(HumanRequests.MAX_ANSWER_BYTES);

    assertThat(refusal(TEXT, null, answer(TEXT, big), NOW)).isEqualTo(HitlFailures.INVALID_ANSWER);
  }
}
