package io.durableflows.activities.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.activities.journal.CallJournal;
import io.durableflows.workflows.schema.JsonSchemas;
import io.durableflows.workflows.tools.BuiltInTools;
import io.durableflows.workflows.tools.ToolActivities;
import io.durableflows.workflows.tools.ToolCall;
import io.durableflows.workflows.tools.ToolFailures;
import io.durableflows.workflows.tools.ToolResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The built-in tools ({@link BuiltInTools}) as the {@code ToolCall} activity. A call with an idempotency key runs
 * once: its result goes to the call journal, and a retry (or a second attempt racing the first) returns what was
 * recorded instead of running the tool again. The tools are pure except {@code current_time}, whose answer must
 * not change because Temporal retried the activity after the worker died.
 */
public final class BuiltInToolActivities implements ToolActivities {
  private static final String KIND = "tool";
  private final CallJournal journal;
  /** Jackson 2, as Temporal's converter: results read back from the journal look like those Temporal carries. */
  private final ObjectMapper json = new ObjectMapper()
      // A journal entry written by an older or newer worker must still be returned on a retry.
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final Map<String, Tool> tools;

  public BuiltInToolActivities(CallJournal journal) {
    this(journal, Clock.systemUTC());
  }

  public BuiltInToolActivities(CallJournal journal, Clock clock) {
    this.journal = journal;
    this.tools = Stream.of(new CalculatorTool(), new CurrentTimeTool(clock), new JsonPathTool(json))
        .collect(Collectors.toUnmodifiableMap(t -> t.spec().name(), Function.identity()));
  }

  @Override
  public ToolResult call(ToolCall call) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    Tool tool = tools.get(call.tool());
    if (tool == null) {
      throw ApplicationFailure.newNonRetryableFailure("unknown tool '" + call.tool() + "': the built-in tools are "
          + String.join(", ", BuiltInTools.names()), ToolFailures.UNKNOWN_TOOL);
    }
    Map<String, Object> arguments = call.arguments() == null ? Map.of() : call.arguments();
    List<String> violations = JsonSchemas.violations(tool.spec().parameters(), arguments);
    if (!violations.isEmpty()) {
      throw Tool.invalidArguments("invalid arguments for " + call.tool() + ": " + String.join("; ", violations));
    }
    String key = call.idempotencyKey();
    if (key != null) {
      Optional<String> earlier = journal.find(key);
      if (earlier.isPresent()) return recorded(earlier.get());
    }
    long started = System.nanoTime();
    Tool.Output out = tool.run(arguments);
    ToolResult result = new ToolResult(out.output(), out.text(), (System.nanoTime() - started) / 1_000_000,
        info.getActivityId(), info.getAttempt(), false);
    if (key == null) return result;
    String mine = toJson(result);
    String standing = journal.record(new CallJournal.Entry(key, call.runId(), call.nodeId(), KIND, call.tool(),
        info.getActivityId(), info.getAttempt(), toJson(arguments), mine));
    return sameJson(standing, mine) ? result : recorded(standing);
  }

  /** What an earlier attempt recorded: it keeps the activity id and attempt that ran the tool, marked recorded. */
  private ToolResult recorded(String resultJson) {
    ToolResult earlier;
    try {
      earlier = json.readValue(resultJson, ToolResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the call journal holds a tool result that is not a ToolResult", e);
    }
    return new ToolResult(earlier.output(), earlier.text(), earlier.durationMs(), earlier.activityId(),
        earlier.attempt(), true);
  }

  /**
   * Whether the journal kept our result. Postgres hands jsonb back reformatted (key order, spacing, number
   * notation), so compare as JSON with numbers by value. Another attempt's result differs at least in its attempt
   * number; one equal in every field may as well be ours.
   */
  private boolean sameJson(String a, String b) {
    try {
      return json.readTree(a).equals((x, y) -> x.isNumber() && y.isNumber()
          ? x.decimalValue().compareTo(y.decimalValue()) : x.equals(y) ? 0 : 1, json.readTree(b));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON-serialisable: " + value.getClass().getName(), e);
    }
  }
}
