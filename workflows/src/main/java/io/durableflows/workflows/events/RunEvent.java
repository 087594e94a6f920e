package io.durableflows.workflows.events;

import java.util.Map;

/**
 * One entry of a run's ordered event log. {@code seq} starts at 1 and has no gaps, so a reader resumes with the
 * last sequence number it saw; {@code node} is null for run-level events.
 */
public record RunEvent(long seq, String type, String node, Map<String, Object> data) {

  public static final String RUN_STARTED = "run_started";
  public static final String NODE_STARTED = "node_started";
  /** A text delta of a streaming model call: {@code data.text}. */
  public static final String MESSAGE = "message";
  public static final String NODE_FINISHED = "node_finished";
  /** A tool is about to run: {@code data.name}, {@code data.arguments}. */
  public static final String TOOL_CALL = "tool_call";
  /** A tool returned: {@code data.name}, {@code data.output}, {@code data.text}. */
  public static final String TOOL_RESULT = "tool_result";
  /** The run waits for a person to approve or deny: {@code data.approval_id}, {@code data.message}... */
  public static final String APPROVAL_REQUIRED = "approval_required";
  /** The approval ended: {@code data.status} approved, denied, expired or cancelled. */
  public static final String APPROVAL_RESOLVED = "approval_resolved";
  /** The run waits for a person's answer: {@code data.question_id}, {@code data.question}... */
  public static final String QUESTION = "question";
  /** The question was answered (or expired): {@code data.answer}. */
  public static final String QUESTION_ANSWERED = "question_answered";
  /** A node did not run because the branch leading to it was not taken. */
  public static final String NODE_SKIPPED = "node_skipped";
  /** Lifecycle news that is not a node boundary, e.g. a model call being retried: {@code data.state}. */
  public static final String STATUS = "status";
  public static final String USAGE = "usage";
  public static final String ERROR = "error";
  /** Always the last event: {@code data.status} is completed, failed or cancelled. */
  public static final String DONE = "done";

  public boolean terminal() {
    return DONE.equals(type);
  }

  public String text() {
    return data == null || !(data.get("text") instanceof String s) ? "" : s;
  }
}
