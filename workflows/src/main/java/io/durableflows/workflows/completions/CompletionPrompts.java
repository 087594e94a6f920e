package io.durableflows.workflows.completions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The system instruction of a completion item (label, extract, summarize, enrich, recommend, autocomplete): what
 * to do in words, then the options as one JSON line. The built-in offline model recognises the first line and
 * reads the options back, so these operations answer sensibly without a provider. {@code chat} and {@code run}
 * send the caller's own prompts and have no instruction.
 */
public final class CompletionPrompts {
  /** The first line's start: {@code Completion task: label.} */
  public static final String MARKER = "Completion task: ";
  private static final String OPTIONS_LINE = "\nOptions: ";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CompletionPrompts() {}

  /** The instruction for one item of {@code operation}. */
  public static String instruction(String operation, Map<String, Object> options) {
    Map<String, Object> shown = new LinkedHashMap<>();
    String task = switch (operation) {
      case CompletionOperations.LABEL -> {
        shown.put(CompletionOptions.CATEGORIES, CompletionOptions.categories(options));
        if (CompletionOptions.multi(options)) {
          shown.put(CompletionOptions.MULTI, true);
          yield "Classify the item into every category of the options' categories that applies (none is allowed)."
              + " Answer with JSON only: {\"labels\": [\"<category spelled exactly as given>\", ...]}.";
        }
        yield "Classify the item into exactly one of the options' categories."
            + " Answer with JSON only: {\"label\": \"<category spelled exactly as given>\"}.";
      }
      case CompletionOperations.EXTRACT -> {
        shown.put(CompletionOptions.SCHEMA, CompletionOptions.schema(options));
        yield "Extract from the item one object matching the JSON Schema in the options' schema. Answer with that "
            + "JSON object only; leave out properties the item does not give.";
      }
      case CompletionOperations.SUMMARIZE -> {
        int max = CompletionOptions.intOption(options, CompletionOptions.MAX_WORDS,
            CompletionOptions.DEFAULT_MAX_WORDS);
        shown.put(CompletionOptions.MAX_WORDS, max);
        yield "Summarize the item in at most " + max + " words. Answer with the summary only.";
      }
      case CompletionOperations.ENRICH -> {
        shown.put(CompletionOptions.FIELDS, CompletionOptions.fields(options));
        yield "For the item, compute every field named in the options' fields by following its instruction. "
            + "Answer with JSON only: one object holding exactly those fields.";
      }
      case CompletionOperations.RECOMMEND -> {
        int count = CompletionOptions.intOption(options, CompletionOptions.COUNT,
            CompletionOptions.DEFAULT_RECOMMENDATIONS);
        shown.put(CompletionOptions.COUNT, count);
        if (!CompletionOptions.candidates(options).isEmpty()) {
          shown.put(CompletionOptions.CANDIDATES, CompletionOptions.candidates(options));
        }
        yield "Recommend " + count + " things that suit the item, best first"
            + (shown.containsKey(CompletionOptions.CANDIDATES) ? ", chosen only from the options' candidates" : "")
            + ". Answer with JSON only: an array of " + count + " short strings.";
      }
      case CompletionOperations.AUTOCOMPLETE -> {
        int count = CompletionOptions.intOption(options, CompletionOptions.COUNT,
            CompletionOptions.DEFAULT_SUGGESTIONS);
        shown.put(CompletionOptions.COUNT, count);
        if (!CompletionOptions.candidates(options).isEmpty()) {
          shown.put(CompletionOptions.CANDIDATES, CompletionOptions.candidates(options));
        }
        yield "The item is the beginning of a text. Suggest " + count + " likely ways to complete it, best first"
            + (shown.containsKey(CompletionOptions.CANDIDATES) ? ", preferring the options' candidates" : "")
            + ". Answer with JSON only: an array of strings, each the whole text (the item's text followed by "
            + "its completion).";
      }
      default -> throw new IllegalArgumentException(operation + " has no instruction: it sends the caller's prompt");
    };
    String extra = CompletionOptions.string(options, CompletionOptions.INSTRUCTIONS);
    return MARKER + operation + ".\n" + task + (extra == null ? "" : "\nAlso: " + extra.strip())
        + OPTIONS_LINE + write(shown);
  }

  /** The operation a system instruction is for, or null when it is not a completion instruction. */
  public static String operationOf(String system) {
    if (system == null || !system.startsWith(MARKER)) return null;
    int dot = system.indexOf(".\n", MARKER.length());
    if (dot < 0) return null;
    String operation = system.substring(MARKER.length(), dot);
    return CompletionOperations.ALL.contains(operation) ? operation : null;
  }

  /** The options an instruction carries (those it shows), or an empty map when it carries none readable. */
  public static Map<String, Object> optionsOf(String system) {
    int at = system == null ? -1 : system.lastIndexOf(OPTIONS_LINE);
    if (at < 0) return Map.of();
    try {
      return JSON.readValue(system.substring(at + OPTIONS_LINE.length()), new TypeReference<>() {});
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("options are not JSON", e);
    }
  }
}
