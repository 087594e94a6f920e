package io.durableflows.workflows.run;

import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.TestFlows;
import io.durableflows.workflows.store.ChildRunSpec;
import java.util.Map;

/** Flows with switch, parallel, map and subflow nodes, for workflow tests and recorded histories. */
final class GraphFlows {
  private GraphFlows() {}

  /** The shipped router example: route(switch: big when amount > 1000, else default) -> review(llm) | auto(template). */
  static FlowDefinition router() {
    return TestFlows.example("router");
  }

  /** input -> fan(parallel) -> left(llm), right(llm) -> join(template of both) -> output. */
  static FlowDefinition fanOut() {
    return TestFlows.parse("""
        {"slug": "fan-out", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [{"name": "topic", "type": "string"}]}},
          {"id": "fan", "type": "parallel", "data": {}},
          {"id": "left", "type": "llm", "data": {"prompt": "Pros of {{input.topic}}"}},
          {"id": "right", "type": "llm", "data": {"prompt": "Cons of {{input.topic}}"}},
          {"id": "join", "type": "template", "data": {"template": "{{left.text}} | {{right.text}}"}},
          {"id": "output", "type": "output", "data": {"shape": "raw", "source": "join"}}
        ], "edges": [
          {"source": "input", "target": "fan"},
          {"source": "fan", "target": "left"}, {"source": "fan", "target": "right"},
          {"source": "left", "target": "join"}, {"source": "right", "target": "join"},
          {"source": "join", "target": "output"}
        ]}""");
  }

  /** input(list) -> each(map, prompt per item, concurrency 2) -> output(raw). */
  static FlowDefinition mapPrompt(int concurrency) {
    return TestFlows.parse("""
        {"slug": "map-prompt", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [{"name": "list", "type": "array"}]}},
          {"id": "each", "type": "map", "data": {"items": "{{input.list}}", "concurrency": %d,
            "prompt": "Item {{index}}: {{item}}"}},
          {"id": "output", "type": "output", "data": {"shape": "json_template", "template": {"items": "{{each}}"}}}
        ], "edges": [
          {"source": "input", "target": "each"}, {"source": "each", "target": "output"}
        ]}""".formatted(concurrency));
  }

  /** input(list) -> each(map, flow "echo" per item) -> output. */
  static FlowDefinition mapFlow(boolean failFast) {
    return TestFlows.parse("""
        {"slug": "map-flow", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [{"name": "list", "type": "array"}]}},
          {"id": "each", "type": "map", "data": {"items": "{{input.list}}", "concurrency": 3, "failFast": %s,
            "flow": "echo", "input": {"text": "{{item}}"}}},
          {"id": "output", "type": "output", "data": {"shape": "json_template", "template": {"items": "{{each}}"}}}
        ], "edges": [
          {"source": "input", "target": "each"}, {"source": "each", "target": "output"}
        ]}""".formatted(failFast));
  }

  /** input(text) -> sub(subflow {@code flow}) -> output(raw). */
  static FlowDefinition subflow(String flow) {
    return TestFlows.parse("""
        {"slug": "parent", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [{"name": "text", "type": "string"}]}},
          {"id": "sub", "type": "subflow", "data": {"flow": "%s", "input": {"text": "{{input.text}}"}}},
          {"id": "output", "type": "output", "data": {"shape": "raw", "source": "sub"}}
        ], "edges": [
          {"source": "input", "target": "sub"}, {"source": "sub", "target": "output"}
        ]}""".formatted(flow));
  }

  /** The child flow: input(text) -> shout(template) -> output(raw). */
  static FlowDefinition echo() {
    return TestFlows.parse("""
        {"slug": "echo", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [{"name": "text", "type": "string"}]}},
          {"id": "shout", "type": "template", "data": {"template": "echo: {{input.text}}"}},
          {"id": "output", "type": "output", "data": {"shape": "raw"}}
        ], "edges": [
          {"source": "input", "target": "shout"}, {"source": "shout", "target": "output"}
        ]}""");
  }

  /** A child flow that waits for a person: input(text) -> review(approval) -> output. */
  static FlowDefinition needsApproval() {
    return TestFlows.parse("""
        {"slug": "needs-approval", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [{"name": "text", "type": "string"}]}},
          {"id": "review", "type": "approval", "data": {"message": "OK to echo {{input.text}}?"}},
          {"id": "output", "type": "output", "data": {"shape": "raw"}}
        ], "edges": [
          {"source": "input", "target": "review"}, {"source": "review", "target": "output"}
        ]}""");
  }

  /** What the store's prepare activity answers for a child of one of the flows above. */
  static RunRequest childRequest(ChildRunSpec spec, Map<String, FlowDefinition> flows) {
    FlowDefinition flow = flows.get(spec.flow());
    return new RunRequest(spec.childRunId(), "acme", flow.slug(), "draft", flow, spec.input());
  }
}
