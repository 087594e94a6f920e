package io.durableflows.workflows.flow;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Save-time checks of the graph node kinds: switch, parallel, map and subflow (see {@link FlowValidator}). */
final class GraphNodeValidator {
  /** The branch of a switch taken when no case matches. */
  static final String DEFAULT = "default";
  static final Pattern CASE_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  static final int MAX_CASES = 50;
  static final int MAX_CONCURRENCY = 50;
  /** Template variables a map node's per-item templates have besides input and earlier nodes. */
  static final Set<String> ITEM_VARIABLES = Set.of("item", "index");
  static final Set<String> ITEM_TEMPLATES = Set.of("input", "prompt", "systemPrompt");

  private GraphNodeValidator() {}

  static void validate(FlowDefinition.FlowNode node, NodeKind kind, FlowGraph graph, List<FieldError> errors) {
    switch (kind) {
      case SWITCH -> validateSwitch(node, graph, errors);
      case PARALLEL -> validateParallel(node, graph, errors);
      case MAP -> validateMap(node, errors);
      case SUBFLOW -> validateSubflow(node, errors);
      default -> {}
    }
  }

  /** The node ids a switch condition can name: every earlier node that is not an input node. */
  static Set<String> conditionVariables(FlowGraph graph, String nodeId) {
    Set<String> ids = new HashSet<>();
    for (String id : graph.ancestors(nodeId)) {
      var n = graph.flow().node(id);
      if (n != null && !NodeKind.INPUT.type().equals(n.type())) ids.add(id);
    }
    return Conditions.variables(ids);
  }

  /** The case ids of a switch, in order (malformed cases left out). */
  static List<String> caseIds(FlowDefinition.FlowNode node) {
    if (!(node.data().get("cases") instanceof List<?> cases)) return List.of();
    return cases.stream()
        .filter(c -> c instanceof Map<?, ?> m && m.get("id") instanceof String)
        .map(c -> (String) ((Map<?, ?>) c).get("id"))
        .toList();
  }

  static boolean hasDefault(FlowDefinition.FlowNode node) {
    return !Boolean.FALSE.equals(node.data().get("default"));
  }

  private static void validateSwitch(FlowDefinition.FlowNode node, FlowGraph graph, List<FieldError> errors) {
    Map<String, Object> d = node.data();
    if (d.containsKey("default") && !(d.get("default") instanceof Boolean)) {
      errors.add(new FieldError(node.id(), "data.default",
          "must be a boolean: whether a 'default' branch is taken when no case matches"));
    }
    if (!(d.get("cases") instanceof List<?> cases) || cases.isEmpty() || cases.size() > MAX_CASES) {
      errors.add(new FieldError(node.id(), "data.cases",
          "is required: 1 to " + MAX_CASES + " cases {\"id\": \"big\", \"when\": \"input.amount > 1000\"}"));
      return;
    }
    Set<String> variables = conditionVariables(graph, node.id());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < cases.size(); i++) {
      String field = "data.cases[" + i + "]";
      if (!(cases.get(i) instanceof Map<?, ?> c)) {
        errors.add(new FieldError(node.id(), field, "must be an object with 'id' and 'when'"));
        continue;
      }
      Object id = c.get("id");
      if (!(id instanceof String s) || !CASE_ID.matcher(s).matches()) {
        errors.add(new FieldError(node.id(), field + ".id", "is required: letters, digits, '-' or '_'"));
      } else if (DEFAULT.equals(s)) {
        errors.add(new FieldError(node.id(), field + ".id", "'default' names the branch taken when no case matches"));
      } else if (!seen.add(s)) {
        errors.add(new FieldError(node.id(), field + ".id", "'" + s + "' is used by more than one case"));
      }
      for (Object key : c.keySet()) {
        if (!"id".equals(key) && !"when".equals(key) && !"label".equals(key)) {
          errors.add(new FieldError(node.id(), field + "." + key, "is not a property of a case (id, when, label)"));
        }
      }
      if (!(c.get("when") instanceof String when) || when.isBlank()) {
        errors.add(new FieldError(node.id(), field + ".when", "is required: a CEL condition such as input.amount > 1000"));
        continue;
      }
      String caseName = id instanceof String s ? " (case '" + s + "')" : "";
      Conditions.problem(when, variables).ifPresent(problem -> errors.add(new FieldError(node.id(), field + ".when",
          "is not a valid CEL condition" + caseName + ": " + problem)));
    }
  }

  private static void validateParallel(FlowDefinition.FlowNode node, FlowGraph graph, List<FieldError> errors) {
    long branches = graph.flow().edges().stream().filter(e -> node.id().equals(e.source())).count();
    if (branches < 2) {
      errors.add(new FieldError(node.id(), "edges", "a parallel node needs at least two outgoing edges (branches)"));
    }
  }

  private static void validateMap(FlowDefinition.FlowNode node, List<FieldError> errors) {
    Map<String, Object> d = node.data();
    Object items = d.get("items");
    if (!(items instanceof List) && !(items instanceof String s && Templates.PLACEHOLDER.matcher(s.strip()).matches())) {
      errors.add(new FieldError(node.id(), "data.items",
          "is required: one {{placeholder}} naming a list (e.g. {{input.list}}), or a JSON array template"));
    }
    Object concurrency = d.get("concurrency");
    if (concurrency != null && !(JsonTypes.matches("integer", concurrency) && ((Number) concurrency).longValue() >= 1
        && ((Number) concurrency).longValue() <= MAX_CONCURRENCY)) {
      errors.add(new FieldError(node.id(), "data.concurrency", "must be an integer from 1 to " + MAX_CONCURRENCY));
    }
    if (d.containsKey("failFast") && !(d.get("failFast") instanceof Boolean)) {
      errors.add(new FieldError(node.id(), "data.failFast", "must be a boolean"));
    }
    boolean flow = d.get("flow") != null;
    boolean prompt = d.get("prompt") != null;
    if (flow == prompt) {
      errors.add(new FieldError(node.id(), "data.flow",
          "give either 'flow' (a child run per item) or 'prompt' (a model call per item)"));
      return;
    }
    if (flow) {
      validateFlowRef(node, errors);
      for (String key : List.of("systemPrompt", "provider", "model", "temperature", "maxTokens")) {
        if (d.containsKey(key)) {
          errors.add(new FieldError(node.id(), "data." + key, "only applies to a map node with a 'prompt'"));
        }
      }
    } else {
      if (!(d.get("prompt") instanceof String p) || p.isBlank()) {
        errors.add(new FieldError(node.id(), "data.prompt", "must be a template such as \"Summarise {{item}}\""));
      }
      for (String key : List.of("version", "input")) {
        if (d.containsKey(key)) {
          errors.add(new FieldError(node.id(), "data." + key, "only applies to a map node with a 'flow'"));
        }
      }
      FlowValidator.validateModelSettings(node, errors);
    }
  }

  private static void validateSubflow(FlowDefinition.FlowNode node, List<FieldError> errors) {
    validateFlowRef(node, errors);
  }

  private static void validateFlowRef(FlowDefinition.FlowNode node, List<FieldError> errors) {
    Map<String, Object> d = node.data();
    if (!(d.get("flow") instanceof String f) || !(FlowValidator.SLUG.matcher(f).matches() || f.startsWith("flw_"))) {
      errors.add(new FieldError(node.id(), "data.flow", "is required: the slug of a flow of this organization"));
    }
    if (d.get("version") != null && !(d.get("version") instanceof String v && !v.isBlank())) {
      errors.add(new FieldError(node.id(), "data.version", "must be a release version (omit it for the latest)"));
    }
    Object input = d.get("input");
    if (input != null && !(input instanceof Map) && !(input instanceof String s
        && Templates.PLACEHOLDER.matcher(s.strip()).matches())) {
      errors.add(new FieldError(node.id(), "data.input",
          "must be an object (a JSON template of the flow's input), or one {{placeholder}} naming an object"));
    }
  }

  /** Edges leaving a switch name the branch they belong to: a case id, or "default". */
  static void validateSwitchHandles(FlowDefinition flow, List<FieldError> errors) {
    for (int i = 0; i < flow.edges().size(); i++) {
      var edge = flow.edges().get(i);
      var source = flow.node(edge.source());
      if (source == null || !NodeKind.SWITCH.type().equals(source.type())) continue;
      List<String> cases = caseIds(source);
      boolean known = edge.sourceHandle() != null && (cases.contains(edge.sourceHandle())
          || DEFAULT.equals(edge.sourceHandle()) && hasDefault(source));
      if (!known) {
        errors.add(FieldError.of("edges[" + i + "].sourceHandle", "edges leaving switch node '" + source.id()
            + "' name a case id " + cases + (hasDefault(source) ? " or \"default\"" : "")));
      }
    }
  }
}
