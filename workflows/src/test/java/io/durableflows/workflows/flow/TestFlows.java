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

  /** The flow with one more edge, on branch {@code sourceHandle} of its source. */
  public static FlowDefinition withEdge(FlowDefinition flow, String source, String target, String sourceHandle) {
    List<FlowDefinition.FlowEdge> edges = new ArrayList<>(flow.edges());
    edges.add(new FlowDefinition.FlowEdge("e" + (edges.size() + 1), source, target, sourceHandle));
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

  /**
   * input(question) -> review (approval, no timeout) -> answer (llm) -> output (raw), and review's
   * {@code denied} branch -> sorry (template saying who refused and why) -> output.
   */
  public static FlowDefinition deniedBranch() {
    return parse(DENIED_BRANCH_JSON);
  }

  public static final String DENIED_BRANCH_JSON = """
        {
          "slug": "review-or-apologise",
          "nodes": [
            {"id": "input", "type": "input", "data": {"variables": [
              {"name": "question", "type": "string", "required": true}]}},
            {"id": "review", "type": "approval", "data": {"message": "May the assistant answer: {{input.question}}?"}},
            {"id": "answer", "type": "llm", "data": {"prompt": "{{input.question}}"}},
            {"id": "sorry", "type": "template", "data": {
              "template": "Sorry, {{review.responder}} said no: {{review.comment}}"}},
            {"id": "output", "type": "output", "data": {"shape": "raw"}}
          ],
          "edges": [
            {"id": "e1", "source": "input", "target": "review"},
            {"id": "e2", "source": "review", "target": "answer", "sourceHandle": "approved"},
            {"id": "e3", "source": "review", "target": "sorry", "sourceHandle": "denied"},
            {"id": "e4", "source": "answer", "target": "output"},
            {"id": "e5", "source": "sorry", "target": "output"}
          ]
        }
        """;

  /**
   * input(question) -> first (approval, 1h, timeoutDecision approve) -> second (approval, no timeout) -> output:
   * the run still waits after the first request ended, so late answers to it reach the validator.
   */
  public static FlowDefinition twoApprovals() {
    return parse("""
        {
          "slug": "two-approvals",
          "nodes": [
            {"id": "input", "type": "input", "data": {"variables": [{"name": "question", "type": "string"}]}},
            {"id": "first", "type": "approval", "data": {
              "message": "First look at {{input.question}}", "timeout": "1h", "timeoutDecision": "approve"}},
            {"id": "second", "type": "approval", "data": {"message": "Second look at {{input.question}}"}},
            {"id": "output", "type": "output", "data": {"shape": "raw"}}
          ],
          "edges": [
            {"id": "e1", "source": "input", "target": "first"},
            {"id": "e2", "source": "first", "target": "second"},
            {"id": "e3", "source": "second", "target": "output"}
          ]
        }
        """);
  }

  /**
   * input(question) -> draft (llm) -> review (approval) -> output (raw, source draft): something has run when
   * the run starts waiting.
   */
  public static FlowDefinition draftThenReview() {
    return parse("""
        {
          "slug": "draft-then-review",
          "nodes": [
            {"id": "input", "type": "input", "data": {"variables": [{"name": "question", "type": "string"}]}},
            {"id": "draft", "type": "llm", "data": {"prompt": "{{input.question}}"}},
            {"id": "review", "type": "approval", "data": {"message": "Publish this? {{draft}}"}},
            {"id": "output", "type": "output", "data": {"shape": "raw", "source": "draft"}}
          ],
          "edges": [
            {"id": "e1", "source": "input", "target": "draft"},
            {"id": "e2", "source": "draft", "target": "review"},
            {"id": "e3", "source": "review", "target": "output"}
          ]
        }
        """);
  }

  /**
   * input(topic) -> plan (json question: {"steps": integer 1..10}) -> explain (llm, uses plan.answer.steps) ->
   * output (raw).
   */
  public static FlowDefinition jsonQuestion() {
    return parse(JSON_QUESTION_JSON);
  }

  public static final String JSON_QUESTION_JSON = """
        {
          "slug": "json-question",
          "nodes": [
            {"id": "input", "type": "input", "data": {"variables": [{"name": "topic", "type": "string"}]}},
            {"id": "plan", "type": "question", "data": {
              "question": "How many steps for {{input.topic}}?",
              "answerType": "json",
              "schema": {"type": "object", "required": ["steps"], "additionalProperties": false,
                "properties": {"steps": {"type": "integer", "minimum": 1, "maximum": 10}}}}},
            {"id": "explain", "type": "llm", "data": {
              "prompt": "Explain {{input.topic}} in {{plan.answer.steps}} steps."}},
            {"id": "output", "type": "output", "data": {"shape": "raw"}}
          ],
          "edges": [
            {"id": "e1", "source": "input", "target": "plan"},
            {"id": "e2", "source": "plan", "target": "explain"},
            {"id": "e3", "source": "explain", "target": "output"}
          ]
        }
        """;

  /**
   * input(expression) -> calc (tool calculator on {{input.expression}}, approval always, a templated approval
   * message) -> output (raw).
   */
  public static FlowDefinition calculator() {
    return parse(CALCULATOR_JSON);
  }

  public static final String CALCULATOR_JSON = """
        {
          "slug": "calculator",
          "nodes": [
            {"id": "input", "type": "input", "data": {"variables": [
              {"name": "expression", "type": "string", "required": true}]}},
            {"id": "calc", "type": "tool", "data": {
              "tool": "calculator",
              "arguments": {"expression": "{{input.expression}}"},
              "approval": "always",
              "approvalMessage": "Compute {{input.expression}}?"}},
            {"id": "output", "type": "output", "data": {"shape": "raw"}}
          ],
          "edges": [
            {"id": "e1", "source": "input", "target": "calc"},
            {"id": "e2", "source": "calc", "target": "output"}
          ]
        }
        """;

  /**
   * input(task) -> plan (llm answering a JSON object) -> calc (tool calculator, arguments "{{plan.json}}", no
   * approval) -> output (raw).
   */
  public static FlowDefinition plannedCalculation() {
    return parse("""
        {
          "slug": "planned-calculation",
          "nodes": [
            {"id": "input", "type": "input", "data": {"variables": [{"name": "task", "type": "string"}]}},
            {"id": "plan", "type": "llm", "data": {
              "prompt": "Answer with a JSON object holding the expression that computes: {{input.task}}"}},
            {"id": "calc", "type": "tool", "data": {"tool": "calculator", "arguments": "{{plan.json}}",
              "approval": "never"}},
            {"id": "output", "type": "output", "data": {"shape": "raw"}}
          ],
          "edges": [
            {"id": "e1", "source": "input", "target": "plan"},
            {"id": "e2", "source": "plan", "target": "calc"},
            {"id": "e3", "source": "calc", "target": "output"}
          ]
        }
        """);
  }
}
