package io.durableflows.api.approvals;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.support.AsyncRequests;
import io.durableflows.workflows.hitl.HumanRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reference 002's questions: a run asking a person (free text, a choice, or JSON matching a schema). */
@RestController
@RequestMapping("/api/v1/questions")
class QuestionController {
  private final HumanRequestService service;

  QuestionController(HumanRequestService service) {
    this.service = service;
  }

  @GetMapping("/pending")
  Map<String, Object> pending(Caller caller, @RequestParam(required = false) String flow,
      @RequestParam(name = "run", required = false) String run,
      @RequestParam(name = "run_id", required = false) String runId, @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "20") int limit) {
    return service.pending(caller, HumanRequest.QUESTION, flow, run != null ? run : runId, null, cursor, limit);
  }

  @GetMapping("/{questionId}")
  Map<String, Object> get(Caller caller, @PathVariable String questionId) {
    return service.get(caller, HumanRequest.QUESTION, questionId);
  }

  /** {@code {"answer": …, "comment", "responder"}}: the answer must fit the question's type. */
  @PostMapping("/{questionId}/respond")
  ResponseEntity<Map<String, Object>> respond(Caller caller, @PathVariable String questionId,
      @RequestBody Map<String, Object> body, HttpServletRequest request) {
    var reply = service.respond(caller, HumanRequest.QUESTION, questionId, Answers.question(body),
        AsyncRequests.requested(request));
    return ResponseEntity.status(reply.status()).body(reply.body());
  }
}
