package io.durableflows.activities.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.activities.journal.CallJournal;
import io.durableflows.activities.secrets.SecretSource;
import io.durableflows.activities.tools.http.HttpToolExecutor;
import io.durableflows.workflows.schema.JsonSchemas;
import io.durableflows.workflows.tools.BuiltInTools;
import io.durableflows.workflows.tools.ToolActivities;
import io.durableflows.workflows.tools.ToolCall;
import io.durableflows.workflows.tools.ToolDefinition;
import io.durableflows.workflows.tools.ToolDryRunActivities;
import io.durableflows.workflows.tools.ToolDryRunRequest;
import io.durableflows.workflows.tools.ToolFailures;
import io.durableflows.workflows.tools.ToolResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code ToolCall} activity (and {@code ToolDryRun}): dispatches on the call's definition, a built-in tool
 * ({@link BuiltInTools}; a call without a definition names one) or an HTTP tool ({@link HttpToolExecutor}); flow
 * tools run as child workflows and never reach this activity. A call with an idempotency key runs
 * once: its result goes to the call journal, and a retry (or a second attempt racing the first) returns what was
 * recorded instead of running the tool again. The tools are pure except {@code current_time}, whose answer must
 * not change because Temporal retried the activity after the worker died.
 */
public final class BuiltInToolActivities implements ToolActivities, ToolDryRunActivities {
  private static final String KIND = "tool";
  private final CallJournal journal;
  /** Jackson 2, as Temporal's converter: results read back from the journal look like those Temporal carries. */
  private final ObjectMapper json = new ObjectMapper()
      // A journal entry written by an older or newer worker must still be returned on a retry.
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final Map<String, Tool> tools;
  /** Null when this worker runs no HTTP tools (tests of the built-ins). */
  private final HttpToolExecutor http;
  private final SecretSource secrets;

  public BuiltInToolActivities(CallJournal journal) {
    this(journal, Clock.systemUTC());
  }

  public BuiltInToolActivities(CallJournal journal, Clock clock) {
    this(journal, clock, null, null);
  }

  public BuiltInToolActivities(CallJournal journal, HttpToolExecutor http, SecretSource secrets) {
    this(journal, Clock.systemUTC(), http, secrets);
  }

  public BuiltInToolActivities(CallJournal journal, Clock clock, HttpToolExecutor http, SecretSource secrets) {
    this.journal = journal;
    this.http = http;
    this.secrets = secrets;
    this.tools = Stream.of(new CalculatorTool(), new CurrentTimeTool(clock), new JsonPathTool(json))
        .collect(Collectors.toUnmodifiableMap(t -> t.spec().name(), Function.identity()));
  }

  @Override
  public ToolResult call(ToolCall call) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    ActivityInfo info = context.getInfo();
    Map<String, Object> arguments = call.arguments() == null ? Map.of() : call.arguments();
    // Heartbeats while an HTTP tool waits: a cancelled run learns of it within a second, not at the call's timeout.
    Supplier<Tool.Output> run = prepare(call.tool(), call.definition(), arguments,
        () -> secrets.orgOfRun(call.runId()).orElse(null),
        HttpToolExecutor.Budget.NONE.whileWaiting(() -> context.heartbeat(null)));
    String key = call.idempotencyKey();
    if (key != null) {
      Optional<String> earlier = journal.find(key);
      if (earlier.isPresent()) return recorded(earlier.get());
    }
    long started = System.nanoTime();
    Tool.Output out = run.get();
    ToolResult result = new ToolResult(out.output(), out.text(), (System.nanoTime() - started) / 1_000_000,
        info.getActivityId(), info.getAttempt(), false);
    if (key == null) return result;
    String mine = toJson(result);
    String standing = journal.record(new CallJournal.Entry(key, call.runId(), call.nodeId(), KIND, call.tool(),
        info.getActivityId(), info.getAttempt(), toJson(arguments), mine));
    return sameJson(standing, mine) ? result : recorded(standing);
  }

  /** One call outside any run, within the request's budget; nothing is journaled. */
  @Override
  public ToolResult dryRun(ToolDryRunRequest request) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    ToolDefinition definition = request.definition();
    Map<String, Object> arguments = request.arguments() == null ? Map.of() : request.arguments();
    HttpToolExecutor.Budget budget = new HttpToolExecutor.Budget(
        Math.min(request.maxResponseBytes(), ToolDryRunRequest.MAX_RESPONSE_BYTES),
        Duration.ofMillis(Math.min(request.timeoutMs(), ToolDryRunRequest.MAX_TIMEOUT_MS)));
    Supplier<Tool.Output> run = prepare(definition.name(), definition, arguments, request::orgId, budget);
    long started = System.nanoTime();
    Tool.Output out = run.get();
    return new ToolResult(out.output(), out.text(), (System.nanoTime() - started) / 1_000_000,
        info.getActivityId(), info.getAttempt(), false);
  }

  /**
   * Checks the call (known tool, arguments matching its schema) and returns what runs it. A call without a
   * definition names a built-in, as every call did before tools had definitions.
   */
  private Supplier<Tool.Output> prepare(String name, ToolDefinition definition, Map<String, Object> arguments,
      Supplier<String> org, HttpToolExecutor.Budget budget) {
    String kind = definition == null ? ToolDefinition.BUILTIN : definition.kind();
    switch (kind) {
      case ToolDefinition.BUILTIN -> {
        String builtIn = definition == null ? name : definition.name();
        Tool tool = tools.get(builtIn);
        if (tool == null) {
          throw ApplicationFailure.newNonRetryableFailure("unknown tool '" + builtIn + "': the built-in tools are "
              + String.join(", ", BuiltInTools.names()), ToolFailures.UNKNOWN_TOOL);
        }
        checkArguments(builtIn, tool.spec().parameters(), arguments);
        return () -> tool.run(arguments);
      }
      case ToolDefinition.HTTP -> {
        if (http == null) {
          throw ApplicationFailure.newNonRetryableFailure("this worker does not run HTTP tools",
              ToolFailures.UNKNOWN_TOOL);
        }
        checkArguments(definition.name(), definition.parameters(), arguments);
        return () -> {
          HttpToolExecutor.Result r = http.run(org, definition, arguments, budget);
          return new Tool.Output(r.output(), r.text());
        };
      }
      case ToolDefinition.FLOW -> throw ApplicationFailure.newNonRetryableFailure("tool '" + definition.name()
          + "' runs flow '" + definition.flow() + "': flow tools run as child workflows of the run, not as a "
          + "ToolCall activity", ToolFailures.UNKNOWN_TOOL);
      default -> throw ApplicationFailure.newNonRetryableFailure("tool '" + name + "' has unknown kind '" + kind
          + "' (kinds: " + String.join(", ", ToolDefinition.KINDS) + ")", ToolFailures.UNKNOWN_TOOL);
    }
  }

  private static void checkArguments(String tool, Map<String, Object> schema, Map<String, Object> arguments) {
    List<String> violations = JsonSchemas.violations(schema, arguments);
    if (!violations.isEmpty()) {
      throw Tool.invalidArguments("invalid arguments for " + tool + ": " + String.join("; ", violations));
    }
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
