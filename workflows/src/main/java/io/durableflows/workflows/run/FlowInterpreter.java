package io.durableflows.workflows.run;

import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.FlowDefinition.FlowNode;
import io.durableflows.workflows.flow.FlowGraph;
import io.durableflows.workflows.flow.Templates;
import io.durableflows.workflows.flow.Templates.NodeOutput;
import io.durableflows.workflows.llm.LlmCall;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.store.LlmCallRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deterministic part of a run: node order, templating, output shaping and usage accounting. The workflow
 * feeds it activity results; it never does I/O itself, so the same history always yields the same result.
 */
final class FlowInterpreter {
  private final RunRequest request;
  private final FlowGraph graph;
  private final Map<String, Object> context = new LinkedHashMap<>();
  private final List<LlmCallRecord> calls = new ArrayList<>();
  private final Map<String, LlmReply> replies = new LinkedHashMap<>();
  private Usage usage = Usage.ZERO;
  private double cost;
  private String lastText = "";
  private String lastNode;

  FlowInterpreter(RunRequest request) {
    this.request = request;
    this.graph = new FlowGraph(request.flow());
    context.put("input", request.input());
  }

  List<FlowNode> order() {
    return graph.order().orElseThrow(() -> new IllegalStateException("flow has a cycle"));
  }

  LlmCall llmCall(FlowNode node) {
    Map<String, Object> d = node.data();
    return new LlmCall(
        request.runId(),
        node.id(),
        (String) d.get("provider"),
        (String) d.get("model"),
        d.get("systemPrompt") == null ? null : Templates.render((String) d.get("systemPrompt"), context),
        Templates.render((String) d.get("prompt"), context),
        d.get("temperature") instanceof Number t ? t.doubleValue() : null,
        d.get("maxTokens") instanceof Number m ? m.intValue() : null,
        request.stream());
  }

  void recordLlm(FlowNode node, LlmReply reply) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("text", reply.text());
    fields.put("model", reply.model());
    fields.put("provider", reply.provider());
    fields.put("finish_reason", reply.finishReason());
    fields.put("usage", reply.usage().fields());
    context.put(node.id(), new NodeOutput(reply.text(), fields));
    replies.put(node.id(), reply);
    calls.add(new LlmCallRecord(node.id(), reply.provider(), reply.model(), reply.usage(), reply.costUsd(),
        reply.durationMs()));
    usage = usage.plus(reply.usage());
    cost += reply.costUsd();
    remember(node, reply.text());
  }

  /** Renders a template node and returns its text. */
  String runTemplate(FlowNode node) {
    Object json = node.data().get("json");
    if (json != null) {
      Object value = Templates.renderJson(json, context);
      context.put(node.id(), new NodeOutput(value, Map.of("json", value)));
      remember(node, Templates.render("{{" + node.id() + "}}", context));
    } else {
      String text = Templates.render((String) node.data().get("template"), context);
      context.put(node.id(), new NodeOutput(text, Map.of("text", text)));
      remember(node, text);
    }
    return lastText;
  }

  /**
   * The node whose text the output is built from (null when it is the last node run): streaming clients show
   * its deltas as the answer.
   */
  String answerNode() {
    for (FlowNode node : order()) {
      if ("output".equals(node.type())) {
        return node.data().get("source") instanceof String s ? s : defaultSource(node);
      }
    }
    return null;
  }

  private void remember(FlowNode node, String text) {
    lastText = text;
    lastNode = node.id();
  }

  /** Shapes the output node's body; {@code created} is the workflow's clock in epoch seconds. */
  RunResult finish(FlowNode output, long created) {
    Map<String, Object> d = output.data();
    String source = d.get("source") instanceof String s ? s : defaultSource(output);
    String text = source == null ? lastText : Templates.render("{{" + source + "}}", context);
    LlmReply reply = source == null ? null : replies.get(source);
    String model = reply != null ? reply.model() : lastModel();
    String shape = (String) d.get("shape");
    Object body = switch (shape) {
      case "raw" -> text;
      case "openai_chat_completion" -> ChatCompletions.of("flowrun_" + request.runId(), created, model, text,
          ChatCompletions.finishReason(reply == null ? null : reply.finishReason()), usage);
      default -> Templates.renderJson(d.get("template"), context);
    };
    return new RunResult(request.runId(), shape, body, text, model, usage, cost, List.of());
  }

  List<LlmCallRecord> calls() {
    return List.copyOf(calls);
  }

  Usage usage() {
    return usage;
  }

  double cost() {
    return cost;
  }

  private String defaultSource(FlowNode output) {
    List<String> preds = graph.predecessors(output.id());
    return preds.isEmpty() ? lastNode : preds.get(0);
  }

  private String lastModel() {
    String model = request.flowSlug();
    for (LlmReply r : replies.values()) model = r.model();
    return model;
  }
}
