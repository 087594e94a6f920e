package io.durableflows.workflows.hitl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.workflows.schema.JsonSchemas;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules for answering a {@link HumanRequest}, pure so that the run workflow's update validator, its signal
 * handler and the API (to explain a refusal before it reaches the run) apply the very same ones.
 */
public final class HumanRequests {
  public static final int MAX_TEXT_ANSWER = 10_000;
  public static final int MAX_COMMENT = 4_000;
  public static final Set<String> ANSWER_TYPES = Set.of("text", "choice", "json");
  /** An answer or modified arguments travel in the run's history several times: keep them well under its limits. */
  public static final int MAX_ANSWER_BYTES = 256 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private HumanRequests() {}

  /**
   * Throws the typed failure that refuses {@code answer}, or returns when the run can take it.
   *
   * @param request the request it answers, null when the run has none with that id
   * @param resolved how the request already ended, or null while it waits
   */
  public static void check(HumanRequest request, HumanResolution resolved, HumanAnswer answer, long nowMillis) {
    if (answer == null || answer.requestId() == null) {
      throw failure("the answer names no request", HitlFailures.INVALID_ANSWER);
    }
    if (request == null) {
      throw failure("this run has no request " + answer.requestId(), HitlFailures.REQUEST_NOT_FOUND);
    }
    if (resolved != null) {
      if (HumanResolution.EXPIRED.equals(resolved.status())) {
        throw failure(request.id() + " expired unanswered; the run went on with its timeout "
            + (request.isApproval() ? "decision (" + resolved.decision() + ")" : "answer"), HitlFailures.REQUEST_EXPIRED);
      }
      throw failure(request.id() + " was already " + resolved.status()
          + (resolved.responderName() == null ? "" : " by " + resolved.responderName()), HitlFailures.ALREADY_RESOLVED);
    }
    long answeredAt = answer.submittedAtMillis() == null ? nowMillis : Math.min(nowMillis, answer.submittedAtMillis());
    if (request.expiredAt(answeredAt)) {
      throw failure(request.id() + " expired unanswered", HitlFailures.REQUEST_EXPIRED);
    }
    List<String> problems = problems(request, answer);
    if (!problems.isEmpty()) {
      throw failure(String.join("; ", problems), HitlFailures.INVALID_ANSWER);
    }
  }

  /** What is wrong with {@code answer} for {@code request}, whatever the request's state; empty when it fits. */
  public static List<String> problems(HumanRequest request, HumanAnswer answer) {
    List<String> problems = new ArrayList<>();
    String action = answer.action();
    if (action == null) {
      problems.add(request.isApproval() ? "decision must be approve or deny" : "a question takes an answer");
      return problems;
    }
    if (tooLarge(answer.answer()) || tooLarge(answer.modifiedArguments())) {
      problems.add("the answer must be at most " + MAX_ANSWER_BYTES / 1024 + " KB of JSON");
      return problems;
    }
    if (answer.comment() != null && answer.comment().length() > MAX_COMMENT) {
      problems.add("comment must be at most " + MAX_COMMENT + " characters");
    }
    if (request.isApproval()) {
      if (!Set.of(HumanAnswer.APPROVE, HumanAnswer.DENY, HumanAnswer.CANCEL).contains(action)) {
        problems.add("decision must be approve or deny");
      }
      if (answer.answer() != null) problems.add("an approval takes a decision, not an answer");
      if (answer.modifiedArguments() != null) {
        if (!request.isToolCall()) {
          problems.add("modified_arguments only apply to tool-call approvals");
        } else if (!HumanAnswer.APPROVE.equals(action)) {
          problems.add("modified_arguments go with approve");
        } else if (request.argumentsSchema() != null) {
          for (String v : JsonSchemas.violations(request.argumentsSchema(), answer.modifiedArguments())) {
            problems.add("modified_arguments: " + v);
          }
        }
      }
      return problems;
    }
    if (!HumanAnswer.ANSWER.equals(action)) {
      problems.add("a question takes an answer");
      return problems;
    }
    problems.addAll(answerProblems(request.answerType(), request.choices(), request.answerSchema(), answer.answer()));
    return problems;
  }

  /** Whether {@code value} answers a question of this type; also checks a flow's timeout answer at save time. */
  public static List<String> answerProblems(String answerType, List<String> choices, Map<String, Object> schema,
      Object value) {
    List<String> problems = new ArrayList<>();
    switch (answerType == null ? "text" : answerType) {
      case "choice" -> {
        if (!(value instanceof String s) || choices == null || !choices.contains(s)) {
          problems.add("answer must be one of " + choices);
        }
      }
      case "json" -> {
        if (value == null) {
          problems.add("answer is required: JSON matching the question's schema");
        } else {
          for (String v : JsonSchemas.violations(schema, value)) problems.add("answer: " + v);
        }
      }
      default -> {
        if (!(value instanceof String s) || s.isBlank()) {
          problems.add("answer must be a non-empty string");
        } else if (s.length() > MAX_TEXT_ANSWER) {
          problems.add("answer must be at most " + MAX_TEXT_ANSWER + " characters");
        }
      }
    }
    return problems;
  }

  /** The resolution an accepted answer makes. */
  public static HumanResolution resolve(HumanRequest request, HumanAnswer answer, long nowMillis) {
    String action = answer.action();
    String status;
    String decision = null;
    if (request.isApproval()) {
      decision = HumanAnswer.APPROVE.equals(action) ? HumanAnswer.APPROVE : HumanAnswer.DENY;
      status = switch (action) {
        case HumanAnswer.APPROVE -> HumanResolution.APPROVED;
        case HumanAnswer.CANCEL -> HumanResolution.CANCELLED;
        default -> HumanResolution.DENIED;
      };
    } else {
      status = HumanResolution.ANSWERED;
    }
    // Arguments sent back unchanged (a form submitted as it was shown) are not a modification.
    boolean modified = answer.modifiedArguments() != null && HumanAnswer.APPROVE.equals(action)
        && !answer.modifiedArguments().equals(request.arguments());
    return new HumanResolution(request.id(), request.kind(), status, decision, answer.answer(),
        modified ? answer.modifiedArguments() : request.arguments(), modified, answer.comment(), answer.responderId(),
        answer.responderName(), nowMillis, Math.max(0, nowMillis - request.createdAtMillis()));
  }

  /** The resolution of a request whose time ran out: the timeout decision, or the timeout answer. */
  public static HumanResolution expire(HumanRequest request, long nowMillis) {
    String decision = request.isApproval()
        ? (HumanAnswer.APPROVE.equals(request.timeoutDecision()) ? HumanAnswer.APPROVE : HumanAnswer.DENY)
        : null;
    return new HumanResolution(request.id(), request.kind(), HumanResolution.EXPIRED, decision,
        request.isApproval() ? null : request.timeoutAnswer(), request.arguments(), false,
        "no answer before the timeout", null, null, nowMillis, Math.max(0, nowMillis - request.createdAtMillis()));
  }

  private static boolean tooLarge(Object value) {
    if (value == null) return false;
    try {
      return JSON.writeValueAsBytes(value).length > MAX_ANSWER_BYTES;
    } catch (JsonProcessingException e) {
      return true;
    }
  }

  private static ApplicationFailure failure(String message, String type) {
    return ApplicationFailure.newNonRetryableFailure(message, type);
  }
}
