package io.durableflows.workflows.flow;

import io.durableflows.workflows.hitl.HumanRequests;
import io.durableflows.workflows.schema.JsonSchemas;
import io.durableflows.workflows.tools.BuiltInTools;
import io.durableflows.workflows.tools.ToolApprovalPolicy;
import io.durableflows.workflows.tools.ToolDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates a flow definition on save; every error names the node and the field. */
public final class FlowValidator {
  public static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,62}$");
  private static final Pattern VARIABLE = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,63}$");
  private static final Pattern NODE_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  public static final Set<String> OUTPUT_SHAPES = Set.of("raw", "openai_chat_completion", "json_template");
  public static final Set<String> HANDLES = Set.of("approved", "denied");
  public static final Set<String> DECISIONS = Set.of("approve", "deny");
  /** At most a year: a timer longer than that is a mistake, not a policy. */
  public static final Duration MAX_TIMEOUT = Duration.ofDays(365);
  /** Node properties that are data, not templates: their braces are not placeholders. */
  private static final Set<String> NOT_TEMPLATES =
      Set.of("variables", "label", "schema", "choices", "approval", "timeoutAnswer", "timeout", "definition", "tools",
          "subagents", "skills", "promptBlocks", "contextBlocks", "cases");
  /** Enough for any real task; a loop that needs more is stuck. */
  public static final int MAX_AGENT_STEPS = 200;

  private FlowValidator() {}

  public static List<FieldError> validate(FlowDefinition flow) {
    List<FieldError> errors = new ArrayList<>();
    if (flow.slug() == null || !SLUG.matcher(flow.slug()).matches()) {
      errors.add(FieldError.of("slug", "is required: lowercase letters, digits, '-' or '_', at most 63 characters"));
    }
    if (flow.nodes().isEmpty()) {
      errors.add(FieldError.of("nodes", "must not be empty: a flow needs at least an output node"));
      return errors;
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < flow.nodes().size(); i++) {
      var node = flow.nodes().get(i);
      if (node.id() == null || !NODE_ID.matcher(node.id()).matches()) {
        errors.add(FieldError.of("nodes[" + i + "].id", "is required: letters, digits, '-' or '_'"));
      } else if (!ids.add(node.id())) {
        errors.add(new FieldError(node.id(), "id", "is used by more than one node"));
      } else if ("input".equals(node.id())) {
        // "input" names the flow input in templates, so a node may not take it unless it is an input node.
        if (!NodeKind.INPUT.type().equals(node.type())) {
          errors.add(new FieldError(node.id(), "id", "'input' is reserved for input nodes"));
        }
      }
      if (NodeKind.of(node.type()).isEmpty()) {
        errors.add(new FieldError(node.id(), "type", "must be one of " + NodeKind.types()));
      }
    }
    for (int i = 0; i < flow.edges().size(); i++) {
      var edge = flow.edges().get(i);
      String where = "edges[" + i + "]";
      if (edge.source() == null || !ids.contains(edge.source())) {
        errors.add(FieldError.of(where + ".source", "must name a node of this flow"));
      }
      if (edge.target() == null || !ids.contains(edge.target())) {
        errors.add(FieldError.of(where + ".target", "must name a node of this flow"));
      }
    }
    if (!errors.isEmpty()) {
      return errors;
    }
    FlowGraph graph = new FlowGraph(flow);
    if (graph.order().isEmpty()) {
      errors.add(FieldError.of("edges", "must not form a cycle"));
      return errors;
    }
    if (flow.nodesOfType(NodeKind.OUTPUT.type()).size() != 1) {
      errors.add(FieldError.of("nodes", "must contain exactly one output node"));
    }
    Set<String> variables = new HashSet<>();
    for (var node : flow.nodes()) {
      switch (NodeKind.of(node.type()).orElseThrow()) {
        case INPUT -> validateInput(node, variables, errors);
        case LLM -> validateLlm(node, errors);
        case TEMPLATE -> validateTemplate(node, errors);
        case OUTPUT -> validateOutput(node, errors);
        case APPROVAL -> validateApproval(node, errors);
        case QUESTION -> validateQuestion(node, errors);
        case TOOL -> validateTool(node, errors);
        case AGENT -> validateAgent(node, errors);
        case SWITCH, PARALLEL, MAP, SUBFLOW ->
            GraphNodeValidator.validate(node, NodeKind.of(node.type()).orElseThrow(), graph, errors);
        case MEMORY -> validateMemory(node, errors);
      }
      validateUnknownProperties(node, errors);
    }
    validateHandles(flow, errors);
    GraphNodeValidator.validateSwitchHandles(flow, errors);
    for (var node : flow.nodes()) {
      validateReferences(node, graph, variables, errors);
    }
    validateAllFeedTheOutput(flow, graph, errors);
    return errors;
  }

  private static void validateUnknownProperties(FlowDefinition.FlowNode node, List<FieldError> errors) {
    Set<String> known = NodeKind.of(node.type()).orElseThrow().properties();
    for (String key : node.data().keySet()) {
      if (!known.contains(key)) {
        errors.add(new FieldError(node.id(), "data." + key, "is not a property of " + node.type() + " nodes"));
      }
    }
  }

  private static void validateInput(FlowDefinition.FlowNode node, Set<String> names, List<FieldError> errors) {
    Object raw = node.data().get("variables");
    if (!(raw instanceof List<?> list)) {
      errors.add(new FieldError(node.id(), "data.variables", "must be an array of variables"));
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      String field = "data.variables[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> v)) {
        errors.add(new FieldError(node.id(), field, "must be an object"));
        continue;
      }
      Object name = v.get("name");
      if (!(name instanceof String n) || !VARIABLE.matcher(n).matches()) {
        errors.add(new FieldError(node.id(), field + ".name", "is required: a letter or '_' then letters, digits or '_'"));
      } else if (!names.add(n)) {
        errors.add(new FieldError(node.id(), field + ".name", "'" + n + "' is declared twice"));
      }
      Object type = v.get("type");
      if (type != null && !(type instanceof String t && InputVariable.TYPES.contains(t))) {
        errors.add(new FieldError(node.id(), field + ".type", "must be one of " + new java.util.TreeSet<>(InputVariable.TYPES)));
        continue;
      }
      String t = type == null ? "string" : (String) type;
      if (v.get("required") != null && !(v.get("required") instanceof Boolean)) {
        errors.add(new FieldError(node.id(), field + ".required", "must be a boolean"));
      }
      if (v.get("default") != null && !JsonTypes.matches(t, v.get("default"))) {
        errors.add(new FieldError(node.id(), field + ".default", "must be of type " + t));
      }
      Object enumValues = v.get("enum");
      if (enumValues != null) {
        if (!(enumValues instanceof List<?> e) || e.isEmpty()) {
          errors.add(new FieldError(node.id(), field + ".enum", "must be a non-empty array"));
        } else if (e.stream().anyMatch(x -> !JsonTypes.matches(t, x))) {
          errors.add(new FieldError(node.id(), field + ".enum", "every value must be of type " + t));
        } else if (v.get("default") != null && JsonTypes.matches(t, v.get("default"))
            && !InputSchema.enumContains(e, v.get("default"))) {
          errors.add(new FieldError(node.id(), field + ".default", "must be one of the enum values " + e));
        }
      }
      if (v.get("description") != null && !(v.get("description") instanceof String)) {
        errors.add(new FieldError(node.id(), field + ".description", "must be a string"));
      }
    }
  }

  private static void validateLlm(FlowDefinition.FlowNode node, List<FieldError> errors) {
    if (!(node.data().get("prompt") instanceof String p) || p.isBlank()) {
      errors.add(new FieldError(node.id(), "data.prompt", "is required: the prompt template"));
    }
    validateModelSettings(node, errors);
  }

  /** provider, model, systemPrompt, temperature and maxTokens, wherever a node calls a model. */
  static void validateModelSettings(FlowDefinition.FlowNode node, List<FieldError> errors) {
    Map<String, Object> d = node.data();
    for (String key : List.of("provider", "model", "systemPrompt")) {
      if (d.get(key) != null && !(d.get(key) instanceof String)) {
        errors.add(new FieldError(node.id(), "data." + key, "must be a string"));
      }
    }
    Object temperature = d.get("temperature");
    if (temperature != null && !(temperature instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 2)) {
      errors.add(new FieldError(node.id(), "data.temperature", "must be a number between 0 and 2"));
    }
    Object maxTokens = d.get("maxTokens");
    if (maxTokens != null && !(JsonTypes.matches("integer", maxTokens) && ((Number) maxTokens).longValue() > 0
        && ((Number) maxTokens).longValue() <= 1_000_000)) {
      errors.add(new FieldError(node.id(), "data.maxTokens", "must be a positive integer"));
    }
  }

  private static void validateTemplate(FlowDefinition.FlowNode node, List<FieldError> errors) {
    Object text = node.data().get("template");
    Object json = node.data().get("json");
    if ((text == null) == (json == null)) {
      errors.add(new FieldError(node.id(), "data.template", "give either a text 'template' or a 'json' template"));
    } else if (text != null && !(text instanceof String)) {
      errors.add(new FieldError(node.id(), "data.template", "must be a string"));
    }
  }

  private static void validateOutput(FlowDefinition.FlowNode node, List<FieldError> errors) {
    Object shape = node.data().get("shape");
    if (!(shape instanceof String s) || !OUTPUT_SHAPES.contains(s)) {
      errors.add(new FieldError(node.id(), "data.shape", "must be one of raw, openai_chat_completion, json_template"));
      return;
    }
    if ("json_template".equals(shape) && node.data().get("template") == null) {
      errors.add(new FieldError(node.id(), "data.template", "is required for the json_template shape"));
    }
    Object source = node.data().get("source");
    if (source != null && !(source instanceof String)) {
      errors.add(new FieldError(node.id(), "data.source", "must be a node id"));
    }
  }

  private static void validateApproval(FlowDefinition.FlowNode node, List<FieldError> errors) {
    Map<String, Object> d = node.data();
    if (!(d.get("message") instanceof String m) || m.isBlank()) {
      errors.add(new FieldError(node.id(), "data.message", "is required: what the approver is asked (a template)"));
    }
    validateTimeout(node, errors);
  }

  private static void validateTimeout(FlowDefinition.FlowNode node, List<FieldError> errors) {
    Map<String, Object> d = node.data();
    if (d.get("timeout") != null) {
      var timeout = Durations.parse(d.get("timeout"));
      if (timeout.isEmpty() || timeout.get().isZero() || timeout.get().compareTo(MAX_TIMEOUT) > 0) {
        errors.add(new FieldError(node.id(), "data.timeout",
            "must be a duration such as \"30m\", \"24h\" or \"7d\" (at most 365 days)"));
      }
    }
    if (d.containsKey("timeoutDecision") && !DECISIONS.contains(d.get("timeoutDecision"))) {
      errors.add(new FieldError(node.id(), "data.timeoutDecision", "must be \"approve\" or \"deny\""));
    }
  }

  @SuppressWarnings("unchecked")
  private static void validateQuestion(FlowDefinition.FlowNode node, List<FieldError> errors) {
    Map<String, Object> d = node.data();
    if (!(d.get("question") instanceof String q) || q.isBlank()) {
      errors.add(new FieldError(node.id(), "data.question", "is required: what the person is asked (a template)"));
    }
    Object type = d.get("answerType");
    if (type != null && !(type instanceof String t && HumanRequests.ANSWER_TYPES.contains(t))) {
      errors.add(new FieldError(node.id(), "data.answerType", "must be one of text, choice, json"));
      return;
    }
    String answerType = type == null ? "text" : (String) type;
    Object choices = d.get("choices");
    if ("choice".equals(answerType)) {
      if (!(choices instanceof List<?> list) || list.size() < 2 || list.size() > 50
          || list.stream().anyMatch(c -> !(c instanceof String s) || s.isBlank())
          || new java.util.HashSet<>(list).size() != list.size()) {
        errors.add(new FieldError(node.id(), "data.choices", "must be 2 to 50 distinct non-empty strings"));
        return;
      }
    } else if (choices != null) {
      errors.add(new FieldError(node.id(), "data.choices", "only applies to answerType choice"));
    }
    Object schema = d.get("schema");
    if ("json".equals(answerType)) {
      if (schema == null) {
        errors.add(new FieldError(node.id(), "data.schema", "is required for answerType json: a JSON Schema"));
        return;
      }
      List<String> problems = JsonSchemas.problems(schema);
      if (!problems.isEmpty()) {
        errors.add(new FieldError(node.id(), "data.schema", "is not a usable JSON Schema: " + String.join("; ", problems)));
        return;
      }
    } else if (schema != null) {
      errors.add(new FieldError(node.id(), "data.schema", "only applies to answerType json"));
    }
    validateTimeout(node, errors);
    if (d.containsKey("timeoutDecision")) {
      errors.add(new FieldError(node.id(), "data.timeoutDecision", "is for approvals; a question has timeoutAnswer"));
    }
    if (d.get("timeoutAnswer") != null) {
      List<String> problems = HumanRequests.answerProblems(answerType,
          choices instanceof List<?> c ? (List<String>) c : null,
          schema instanceof Map<?, ?> m ? (Map<String, Object>) m : null, d.get("timeoutAnswer"));
      if (!problems.isEmpty()) {
        errors.add(new FieldError(node.id(), "data.timeoutAnswer", String.join("; ", problems)));
      }
    }
  }

  private static void validateTool(FlowDefinition.FlowNode node, List<FieldError> errors) {
    Map<String, Object> d = node.data();
    if (d.get("definition") != null) {
      for (String problem : ToolDefinition.problems(d.get("definition"))) {
        errors.add(new FieldError(node.id(), "data.definition", problem));
      }
      if (d.get("tool") != null && !(d.get("definition") instanceof Map<?, ?> m && d.get("tool").equals(m.get("name")))) {
        errors.add(new FieldError(node.id(), "data.tool", "must be the definition's name, or left out"));
      }
    } else if (!(d.get("tool") instanceof String tool) || BuiltInTools.find(tool).isEmpty()) {
      errors.add(new FieldError(node.id(), "data.tool", "must name a tool: one of " + BuiltInTools.names()
          + ", or give the tool's 'definition'"));
    }
    Object arguments = d.get("arguments");
    if (arguments != null && !(arguments instanceof Map) && !(arguments instanceof String s
        && Templates.PLACEHOLDER.matcher(s).matches())) {
      errors.add(new FieldError(node.id(), "data.arguments",
          "must be an object (a JSON template), or one {{placeholder}} naming an object"));
    }
    for (String problem : ToolApprovalPolicy.problems(d.get("approval"))) {
      errors.add(new FieldError(node.id(), "data.approval", problem));
    }
    if (d.get("approvalMessage") != null && !(d.get("approvalMessage") instanceof String)) {
      errors.add(new FieldError(node.id(), "data.approvalMessage", "must be a string (a template)"));
    }
    validateTimeout(node, errors);
  }

  private static void validateAgent(FlowDefinition.FlowNode node, List<FieldError> errors) {
    validateLlm(node, errors);
    Map<String, Object> d = node.data();
    Set<String> names = new HashSet<>();
    Object tools = d.get("tools");
    if (tools != null && !(tools instanceof List<?>)) {
      errors.add(new FieldError(node.id(), "data.tools", "must be an array of tools"));
    } else if (tools != null) {
      List<?> list = (List<?>) tools;
      for (int i = 0; i < list.size(); i++) {
        List<String> problems = ToolDefinition.problems(list.get(i));
        for (String problem : problems) errors.add(new FieldError(node.id(), "data.tools[" + i + "]", problem));
        if (problems.isEmpty() && !names.add(ToolDefinition.parse(list.get(i)).name())) {
          errors.add(new FieldError(node.id(), "data.tools[" + i + "].name", "is used by another tool of this agent"));
        }
      }
    }
    Object subagents = d.get("subagents");
    if (subagents != null && !(subagents instanceof List<?>)) {
      errors.add(new FieldError(node.id(), "data.subagents", "must be an array of sub-agents"));
    } else if (subagents != null) {
      List<?> list = (List<?>) subagents;
      for (int i = 0; i < list.size(); i++) {
        String field = "data.subagents[" + i + "]";
        if (!(list.get(i) instanceof Map<?, ?> sub)) {
          errors.add(new FieldError(node.id(), field, "must be an object {name, description, flow}"));
          continue;
        }
        if (!(sub.get("name") instanceof String n) || !ToolDefinition.NAME.matcher(n).matches()) {
          errors.add(new FieldError(node.id(), field + ".name", "is required: 1-64 letters, digits, '_' or '-'"));
        } else if (!names.add(n)) {
          errors.add(new FieldError(node.id(), field + ".name", "is used by a tool or another sub-agent"));
        }
        if (!(sub.get("description") instanceof String desc) || desc.isBlank()) {
          errors.add(new FieldError(node.id(), field + ".description", "is required: the model reads it to delegate"));
        }
        if (!(sub.get("flow") instanceof String f) || !SLUG.matcher(f).matches()) {
          errors.add(new FieldError(node.id(), field + ".flow", "is required: the slug of the sub-agent's flow"));
        }
        if (sub.get("version") != null && !(sub.get("version") instanceof String)) {
          errors.add(new FieldError(node.id(), field + ".version", "must be a release version"));
        }
      }
    }
    for (String key : List.of("skills", "promptBlocks", "contextBlocks")) {
      Object v = d.get(key);
      if (v != null && !(v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String s && !s.isBlank()))) {
        errors.add(new FieldError(node.id(), "data." + key, "must be an array of names"));
      }
    }
    Object maxSteps = d.get("maxSteps");
    if (maxSteps != null && !(JsonTypes.matches("integer", maxSteps) && ((Number) maxSteps).longValue() > 0
        && ((Number) maxSteps).longValue() <= MAX_AGENT_STEPS)) {
      errors.add(new FieldError(node.id(), "data.maxSteps", "must be an integer from 1 to " + MAX_AGENT_STEPS));
    }
    Object limit = d.get("toolResultLimit");
    if (limit != null && !(JsonTypes.matches("integer", limit) && ((Number) limit).longValue() >= 100
        && ((Number) limit).longValue() <= 1_000_000)) {
      errors.add(new FieldError(node.id(), "data.toolResultLimit", "must be an integer from 100 to 1000000 (characters)"));
    }
    if (d.get("parallelToolCalls") != null && !(d.get("parallelToolCalls") instanceof Boolean)) {
      errors.add(new FieldError(node.id(), "data.parallelToolCalls", "must be a boolean"));
    }
    validateTimeout(node, errors);
  }

  private static void validateMemory(FlowDefinition.FlowNode node, List<FieldError> errors) {
    Map<String, Object> d = node.data();
    Object window = d.get("window");
    if (window != null && !(JsonTypes.matches("integer", window) && ((Number) window).longValue() >= 1
        && ((Number) window).longValue() <= 1000)) {
      errors.add(new FieldError(node.id(), "data.window", "must be an integer from 1 to 1000 (the last N messages)"));
    }
    Object budget = d.get("tokenBudget");
    if (budget != null && !(JsonTypes.matches("integer", budget) && ((Number) budget).longValue() >= 1
        && ((Number) budget).longValue() <= 1_000_000)) {
      errors.add(new FieldError(node.id(), "data.tokenBudget", "must be a positive integer (approximate tokens)"));
    }
    if (d.get("compact") != null && !(d.get("compact") instanceof Boolean)) {
      errors.add(new FieldError(node.id(), "data.compact", "must be true or false"));
    }
    for (String key : List.of("provider", "model")) {
      if (d.get(key) != null && !(d.get(key) instanceof String)) {
        errors.add(new FieldError(node.id(), "data." + key, "must be a string"));
      }
    }
  }

  /** Handles name a branch only on edges leaving approval and tool nodes; elsewhere they mean nothing. */
  private static void validateHandles(FlowDefinition flow, List<FieldError> errors) {
    for (int i = 0; i < flow.edges().size(); i++) {
      var edge = flow.edges().get(i);
      var source = flow.node(edge.source());
      if (source == null || !NodeKind.of(source.type()).map(NodeKind::branches).orElse(false)) continue;
      if (edge.sourceHandle() != null && !HANDLES.contains(edge.sourceHandle())) {
        errors.add(FieldError.of("edges[" + i + "].sourceHandle",
            "edges leaving " + source.type() + " node '" + source.id() + "' take \"approved\" (the default) or \"denied\""));
      }
    }
  }

  private static void validateReferences(
      FlowDefinition.FlowNode node, FlowGraph graph, Set<String> variables, List<FieldError> errors) {
    Set<String> upstream = graph.ancestors(node.id());
    for (var entry : node.data().entrySet()) {
      if (NOT_TEMPLATES.contains(entry.getKey())) continue;
      String field = "data." + entry.getKey();
      boolean perItem = NodeKind.MAP.type().equals(node.type())
          && GraphNodeValidator.ITEM_TEMPLATES.contains(entry.getKey());
      for (String path : Templates.references(entry.getValue())) {
        String[] parts = path.split("\\.");
        if (perItem && GraphNodeValidator.ITEM_VARIABLES.contains(parts[0])) continue;
        if (parts[0].equals("input")) {
          if (parts.length < 2 || !variables.contains(parts[1])) {
            errors.add(new FieldError(node.id(), field, "refers to {{" + path + "}} but no input variable has that name"));
          }
        } else if (!upstream.contains(parts[0])) {
          errors.add(new FieldError(node.id(), field,
              "refers to {{" + path + "}} but node '" + parts[0] + "' does not run before this node"));
        } else if (isInputNode(graph, parts[0])) {
          errors.add(new FieldError(node.id(), field,
              "refers to input node '" + parts[0] + "': write {{input.<variable>}} instead"));
        }
      }
    }
    if (NodeKind.OUTPUT.type().equals(node.type()) && node.data().get("source") instanceof String source) {
      if (!upstream.contains(source)) {
        errors.add(new FieldError(node.id(), "data.source", "node '" + source + "' does not run before the output"));
      } else if (isInputNode(graph, source)) {
        errors.add(new FieldError(node.id(), "data.source", "must be an llm or template node, not an input node"));
      }
    }
  }

  private static boolean isInputNode(FlowGraph graph, String id) {
    var node = graph.flow().node(id);
    return node != null && NodeKind.INPUT.type().equals(node.type());
  }

  /** The response is the output node's: a node that is not upstream of it would run for nothing. */
  private static void validateAllFeedTheOutput(FlowDefinition flow, FlowGraph graph, List<FieldError> errors) {
    var outputs = flow.nodesOfType(NodeKind.OUTPUT.type());
    if (outputs.size() != 1) return;
    String output = outputs.get(0).id();
    Set<String> upstream = graph.ancestors(output);
    for (var node : flow.nodes()) {
      var kind = NodeKind.of(node.type()).orElseThrow();
      boolean work = kind != NodeKind.INPUT && kind != NodeKind.OUTPUT;
      if (work && !upstream.contains(node.id())) {
        errors.add(new FieldError(node.id(), "edges", "does not lead to the output node '" + output + "'"));
      }
    }
    for (var edge : flow.edges()) {
      if (output.equals(edge.source())) {
        errors.add(new FieldError(output, "edges", "the output node must be last: remove the edge to '"
            + edge.target() + "'"));
      }
    }
  }
}
