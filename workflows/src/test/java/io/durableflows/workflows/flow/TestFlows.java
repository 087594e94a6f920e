package io.durableflows.workflows.flow;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Flow documents for tests: the shipped examples, JSON text blocks, and small edits of them. */
public final class TestFlows {
  /** Surefire runs in the module directory, so the repository's examples are one level up. */
  public static final Path EXAMPLES = Path.of("..", "examples", "flows");

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private TestFlows() {}

  public static List<Path> examplePaths() {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An example flow by file name without {@code .json}, e.g. {@code qa-raw}. */
  public static FlowDefinition example(String name) {
    return read(EXAMPLES.resolve(name + ".json"));
  }

  public static FlowDefinition read(Path path) {
    try {
      return JSON.readValue(path.toFile(), FlowDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a flow document; unknown top-level keys such as {@code $schema} are ignored, as the API does. */
  public static FlowDefinition parse(String json) {
    try {
      return JSON.readValue(json, FlowDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Map<String, Object> json(String json) {
    try {
      return JSON.readValue(json, new TypeReference<>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The flow with {@code key} of node {@code nodeId}'s data set to {@code value}, or removed when it is null. */
  public static FlowDefinition withData(FlowDefinition flow, String nodeId, String key, Object value) {
    List<FlowDefinition.FlowNode> nodes = new ArrayList<>();
    for (var node : flow.nodes()) {
      if (node.id().equals(nodeId)) {
        Map<String, Object> data = new LinkedHashMap<>(node.data());
        if (value == null) {
          data.remove(key);
        } else {
          data.put(key, value);
        }
        nodes.add(node.withData(data));
      } else {
        nodes.add(node);
      }
    }
    return flow.withNodes(nodes);
  }

  public static FlowDefinition withNodeType(FlowDefinition flow, String nodeId, String type) {
    return flow.withNodes(flow.nodes().stream()
        .map(n -> n.id().equals(nodeId) ? new FlowDefinition.FlowNode(n.id(), type, n.data(), n.position()) : n)
        .toList());
  }

  public static FlowDefinition withNode(FlowDefinition flow, FlowDefinition.FlowNode node) {
    List<FlowDefinition.FlowNode> nodes = new ArrayList<>(flow.nodes());
    nodes.add(node);
    return flow.withNodes(nodes);
  }

  public static FlowDefinition withEdge(FlowDefinition flow, String source, String target) {
    List<FlowDefinition.FlowEdge> edges = new ArrayList<>(flow.edges());
    edges.add(new FlowDefinition.FlowEdge("e" + (edges.size() + 1), source, target));
    return new FlowDefinition(flow.slug(), flow.name(), flow.description(), flow.nodes(), edges);
  }

  /** The input variables of node {@code input} replaced by one variable built from {@code json}. */
  public static FlowDefinition withVariable(FlowDefinition flow, String variableJson) {
    return withData(flow, "input", "variables", List.of(json(variableJson)));
  }

  /**
   * input(question, tone) -> draft(llm) -> critique(llm, uses draft.text) -> report(template, json) ->
   * output(json_template): two chained model calls, a JSON template node and typed output.
   */
  public static FlowDefinition chained() {
    return parse(CHAINED_JSON);
  }

  /** The document of {@link #chained()}. */
  public static final String CHAINED_JSON = """
        {
          "slug": "draft-and-critique",
          "name": "Draft and critique",
          "nodes": [
            {"id": "input", "type": "input", "data": {"variables": [
              {"name": "question", "type": "string", "required": true},
              {"name": "tone", "type": "string", "enum": ["plain", "friendly"], "default": "plain"}
            ]}},
            {"id": "draft", "type": "llm", "data": {
              "provider": "openai", "model": "gpt-4o-mini",
              "systemPrompt": "Answer in a {{input.tone}} tone.",
              "prompt": "Draft an answer: {{input.question}}", "temperature": 0.3, "maxTokens": 256}},
            {"id": "critique", "type": "llm", "data": {
              "provider": "openai", "model": "gpt-4o",
              "prompt": "Improve this draft: {{draft.text}}", "maxTokens": 256}},
            {"id": "report", "type": "template", "data": {"json": {
              "draft": "{{draft}}", "final": "{{critique.text}}", "draftTokens": "{{draft.usage.total_tokens}}"}}},
            {"id": "output", "type": "output", "data": {"shape": "json_template", "template": {
              "question": "{{input.question}}",
              "answer": "{{critique.text}}",
              "report": "{{report}}",
              "tokens": "{{critique.usage.total_tokens}}",
              "summary": "{{critique.model}} used {{critique.usage.total_tokens}} tokens"}}}
          ],
          "edges": [
            {"id": "e1", "source": "input", "target": "draft"},
            {"id": "e2", "source": "draft", "target": "critique"},
            {"id": "e3", "source": "critique", "target": "report"},
            {"id": "e4", "source": "report", "target": "output"}
          ]
        }
        """;
}
