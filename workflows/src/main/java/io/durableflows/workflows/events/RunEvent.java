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
  public static final String TOOL_CALL = "tool_call";
  public static final String TOOL_RESULT = "tool_result";
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
