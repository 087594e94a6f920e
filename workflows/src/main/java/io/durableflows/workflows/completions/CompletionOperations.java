package io.durableflows.workflows.completions;

import java.util.List;

/** The operations of 002's completions API, run per item (sync for at most 50 items, or as a batch). */
public final class CompletionOperations {
  public static final String RUN = "run";
  /** Classify each item against the request's categories. */
  public static final String LABEL = "label";
  /** Fill the request's JSON Schema from each item. */
  public static final String EXTRACT = "extract";
  public static final String SUMMARIZE = "summarize";
  /** Add computed fields to each item. */
  public static final String ENRICH = "enrich";
  /** A direct model call per item. */
  public static final String CHAT = "chat";
  public static final String RECOMMEND = "recommend";
  public static final String AUTOCOMPLETE = "autocomplete";

  public static final List<String> ALL =
      List.of(RUN, LABEL, EXTRACT, SUMMARIZE, ENRICH, CHAT, RECOMMEND, AUTOCOMPLETE);

  private CompletionOperations() {}
}
