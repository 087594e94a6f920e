package io.durableflows.workflows.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FlowValidator on switch, parallel, map and subflow nodes. */
class GraphNodeValidatorTest {
  private static FlowDefinition router() {
    return TestFlows.example("router");
  }

  private static List<FieldError> errors(FlowDefinition flow) {
    return FlowValidator.validate(flow);
  }

  @Test
  void validate_routerExample_hasNoErrors() {
    assertThat(errors(router())).isEmpty();
  }

  @Test
  void validate_withACelSyntaxError_namesTheNodeAndTheCase() {
    var flow = TestFlows.withData(router(), "route", "cases", List.of(Map.of("id", "big", "when", "input.amount >")));

    assertThat(errors(flow)).singleElement().satisfies(e -> {
      assertThat(e.node()).isEqualTo("route");
      assertThat(e.field()).isEqualTo("data.cases[0].when");
      assertThat(e.message()).contains("CEL", "case 'big'");
    });
  }

  @Test
  void validate_withAConditionNamingANodeThatDoesNotRunBefore_isAnError() {
    var flow = TestFlows.withData(router(), "route", "cases",
        List.of(Map.of("id", "big", "when", "review.text == 'x'")));

    assertThat(errors(flow)).singleElement().satisfies(e -> assertThat(e.message()).contains("review"));
  }

  @Test
  void validate_withANonBooleanCondition_isAnError() {
    var flow = TestFlows.withData(router(), "route", "cases", List.of(Map.of("id", "big", "when", "1 + 2")));

    assertThat(errors(flow)).singleElement().satisfies(e -> assertThat(e.message()).contains("boolean"));
  }

  @Test
  void validate_withDuplicateOrReservedCaseIds_isAnError() {
    var flow = TestFlows.withData(router(), "route", "cases", List.of(
        Map.of("id", "big", "when", "true"), Map.of("id", "big", "when", "false"),
        Map.of("id", "default", "when", "true")));

    assertThat(errors(flow)).extracting(FieldError::field)
        .contains("data.cases[1].id", "data.cases[2].id");
  }

  @Test
  void validate_withAnEdgeLeavingASwitchWithoutAKnownCase_isAnError() {
    var flow = TestFlows.withEdge(router(), "route", "auto", "huge");

    assertThat(errors(flow)).anySatisfy(e -> {
      assertThat(e.field()).endsWith(".sourceHandle");
      assertThat(e.message()).contains("route", "big");
    });
  }

  @Test
  void validate_withDefaultFalse_refusesDefaultEdges() {
    var flow = TestFlows.withData(router(), "route", "default", false);

    assertThat(errors(flow)).anySatisfy(e -> assertThat(e.field()).isEqualTo("edges[2].sourceHandle"));
  }

  @Test
  void validate_withAParallelNodeOfOneBranch_isAnError() {
    var flow = TestFlows.parse("""
        {"slug": "p", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": []}},
          {"id": "fan", "type": "parallel", "data": {}},
          {"id": "a", "type": "template", "data": {"template": "a"}},
          {"id": "output", "type": "output", "data": {"shape": "raw"}}
        ], "edges": [
          {"source": "input", "target": "fan"}, {"source": "fan", "target": "a"}, {"source": "a", "target": "output"}
        ]}""");

    assertThat(errors(flow)).singleElement().satisfies(e -> assertThat(e.node()).isEqualTo("fan"));
  }

  private static FlowDefinition map(Map<String, Object> data) {
    var flow = TestFlows.parse("""
        {"slug": "m", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [{"name": "list", "type": "array"}]}},
          {"id": "each", "type": "map", "data": {}},
          {"id": "output", "type": "output", "data": {"shape": "raw"}}
        ], "edges": [{"source": "input", "target": "each"}, {"source": "each", "target": "output"}]}""");
    return flow.withNodes(flow.nodes().stream().map(n -> n.id().equals("each") ? n.withData(data) : n).toList());
  }

  @Test
  void validate_mapWithFlowAndItemPlaceholders_hasNoErrors() {
    assertThat(errors(map(Map.of("items", "{{input.list}}", "flow", "echo", "concurrency", 8,
        "input", Map.of("text", "{{item}}", "n", "{{index}}"))))).isEmpty();
    assertThat(errors(map(Map.of("items", "{{input.list}}", "prompt", "Summarise {{item}}", "failFast", false))))
        .isEmpty();
  }

  @Test
  void validate_mapWithBothOrNeitherOfFlowAndPrompt_isAnError() {
    assertThat(errors(map(Map.of("items", "{{input.list}}")))).extracting(FieldError::field)
        .containsExactly("data.flow");
    assertThat(errors(map(Map.of("items", "{{input.list}}", "flow", "echo", "prompt", "x"))))
        .extracting(FieldError::field).containsExactly("data.flow");
  }

  @Test
  void validate_mapWithConcurrencyOutOfRangeOrItemsNotAList_isAnError() {
    assertThat(errors(map(Map.of("items", "{{input.list}}", "flow", "echo", "concurrency", 51))))
        .extracting(FieldError::field).containsExactly("data.concurrency");
    assertThat(errors(map(Map.of("items", "list: {{input.list}}", "flow", "echo"))))
        .extracting(FieldError::field).contains("data.items");
  }

  @Test
  void validate_itemPlaceholdersOutsideAMap_areUnknownNodes() {
    var flow = TestFlows.withData(router(), "auto", "template", "{{item}}");

    assertThat(errors(flow)).singleElement().satisfies(e -> assertThat(e.message()).contains("'item'"));
  }

  @Test
  void validate_subflowWithoutFlow_isAnError() {
    var flow = TestFlows.parse("""
        {"slug": "s", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": []}},
          {"id": "sub", "type": "subflow", "data": {"input": "not a placeholder"}},
          {"id": "output", "type": "output", "data": {"shape": "raw"}}
        ], "edges": [{"source": "input", "target": "sub"}, {"source": "sub", "target": "output"}]}""");

    assertThat(errors(flow)).extracting(FieldError::field).containsExactlyInAnyOrder("data.flow", "data.input");
  }

  @Test
  void overrides_canReplaceASwitchsCases_andAreValidated() {
    var ok = Overrides.apply(router(), Map.of("node/route.cases",
        List.of(Map.of("id", "big", "when", "input.amount > 5000"))));
    assertThat(ok.node("route").data().get("cases")).isEqualTo(List.of(Map.of("id", "big", "when", "input.amount > 5000")));

    try {
      Overrides.apply(router(), Map.of("node/route.cases", List.of(Map.of("id", "big", "when", "input.amount >"))));
      throw new AssertionError("expected the override to be refused");
    } catch (InvalidFlowException e) {
      assertThat(e.errors()).singleElement().satisfies(err ->
          assertThat(err.field()).isEqualTo("options.override.node/route.cases[0].when"));
    }
  }
}
