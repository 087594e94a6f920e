package io.durableflows.api.streams;

import io.durableflows.workflows.events.RunEvent;

/**
 * What compat protocols stream as "the answer": the deltas of the node the output is built from (named by the
 * {@code run_started} event). When that node did not stream (a template, say), the final text is sent whole
 * at the end, so a streaming client always ends up with the same text a blocking one gets.
 */
public final class AnswerTracker {
  private String answerNode;
  private boolean streamed;

  /** The text to show for this event as part of the answer, or null. */
  public String delta(RunEvent event) {
    if (RunEvent.RUN_STARTED.equals(event.type())) {
      answerNode = event.data() == null ? null : (String) event.data().get("answer_node");
      return null;
    }
    if (RunEvent.MESSAGE.equals(event.type()) && (answerNode == null || answerNode.equals(event.node()))) {
      String text = event.text();
      if (text.isEmpty()) return null;
      streamed = true;
      return text;
    }
    return null;
  }

  /** At {@code done}: the final text if nothing streamed, else null. */
  public String remainder(RunEvent done) {
    if (streamed || done.data() == null) return null;
    Object text = done.data().get("text");
    return text instanceof String s && !s.isEmpty() ? s : null;
  }

  public static boolean completed(RunEvent done) {
    return done.data() != null && "completed".equals(done.data().get("status"));
  }
}
