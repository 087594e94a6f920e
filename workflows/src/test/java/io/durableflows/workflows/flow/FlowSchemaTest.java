package io.durableflows.workflows.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code schema/flow.schema.json} accepts the shipped examples and rejects what FlowValidator rejects. */
class FlowSchemaTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static JsonSchema schema;
  private static JsonNode schemaDocument;

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in = FlowSchemaTest.class.getResourceAsStream("/schema/flow.schema.json")) {
      assertThat(in).as("schema/flow.schema.json on the classpath").isNotNull();
      schemaDocument = JSON.readTree(in);
    }
    schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaDocument);
  }

  private static Set<String> strings(Iterator<String> values) {
    Set<String> out = new TreeSet<>();
    values.forEachRemaining(out::add);
    return out;
  }

  private static Set<String> enumOf(JsonNode node) {
    Set<String> out = new TreeSet<>();
    node.get("enum").forEach(v -> out.add(v.asText()));
    return out;
  }

  @ParameterizedTest
  @EnumSource(NodeKind.class)
  void schema_dataPropertiesOfEachKind_matchNodeKindProperties(NodeKind kind) {
    JsonNode data = schemaDocument.at("/$defs/" + kind.type() + "Data");

    assertThat(data.path("additionalProperties").asBoolean(true)).isFalse();
    assertThat(strings(data.get("properties").fieldNames())).isEqualTo(new TreeSet<>(kind.properties()));
  }

  @Test
  void schema_nodeTypes_matchNodeKinds() {
    assertThat(enumOf(schemaDocument.at("/$defs/node/properties/type")))
        .isEqualTo(new TreeSet<>(Stream.of(NodeKind.values()).map(NodeKind::type).toList()));
  }

  @Test
  void schema_outputShapes_matchTheValidatorsShapes() {
    assertThat(enumOf(schemaDocument.at("/$defs/outputData/properties/shape")))
        .isEqualTo(new TreeSet<>(FlowValidator.OUTPUT_SHAPES));
  }

  @Test
  void schema_variableTypes_matchInputVariableTypes() {
    assertThat(enumOf(schemaDocument.at("/$defs/variable/properties/type")))
        .isEqualTo(new TreeSet<>(InputVariable.TYPES));
  }

  @Test
  void schema_toolNames_matchTheBuiltInTools() {
    assertThat(enumOf(schemaDocument.at("/$defs/builtInTool")))
        .isEqualTo(new TreeSet<>(io.durableflows.workflows.tools.BuiltInTools.names()));
  }

  @Test
  void schema_httpToolLimits_matchHttpToolConfig() {
    assertThat(enumOf(schemaDocument.at("/$defs/httpTool/properties/method")))
        .isEqualTo(new TreeSet<>(io.durableflows.workflows.tools.HttpToolConfig.METHODS));
    assertThat(schemaDocument.at("/$defs/httpTool/properties/maxResponseBytes/maximum").asInt())
        .isEqualTo(io.durableflows.workflows.tools.HttpToolConfig.MAX_RESPONSE_BYTES);
    assertThat(schemaDocument.at("/$defs/httpTool/properties").size()).isEqualTo(7);
  }

  @Test
  void schema_approvalRuleOperators_matchThePolicyOperators() {
    assertThat(enumOf(schemaDocument.at("/$defs/approvalPolicy/oneOf/1/properties/rules/items/properties/operator")))
        .isEqualTo(new TreeSet<>(io.durableflows.workflows.tools.ToolApprovalPolicy.OPERATORS));
  }

  @Test
  void schema_decisions_matchTheValidatorsDecisions() {
    assertThat(enumOf(schemaDocument.at("/$defs/decision"))).isEqualTo(new TreeSet<>(FlowValidator.DECISIONS));
  }

  @Test
  void schema_answerTypes_matchTheQuestionAnswerTypes() {
    assertThat(enumOf(schemaDocument.at("/$defs/questionData/properties/answerType")))
        .isEqualTo(new TreeSet<>(io.durableflows.workflows.hitl.HumanRequests.ANSWER_TYPES));
  }

  @Test
  void schema_longestTimeoutInSeconds_isTheValidatorsMaximum() {
    assertThat(schemaDocument.at("/$defs/timeout/maximum").asLong()).isEqualTo(FlowValidator.MAX_TIMEOUT.toSeconds());
  }

  @Test
  void schema_toolArgumentsTextPattern_isOneTemplatePlaceholder() {
    assertThat(schemaDocument.at("/$defs/toolData/properties/arguments/pattern").asText())
        .isEqualTo("^" + Templates.PLACEHOLDER.pattern() + "$");
  }

  @Test
  void schema_slugPattern_isTheValidatorsPattern() {
    assertThat(schemaDocument.at("/properties/slug/pattern").asText()).isEqualTo(FlowValidator.SLUG.pattern());
  }

  static Stream<Path> examples() {
    return TestFlows.examplePaths().stream();
  }

  private static ObjectNode qaRaw() {
    try {
      return (ObjectNode) JSON.readTree(TestFlows.EXAMPLES.resolve("qa-raw.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Node {@code i} of the document: 0 input, 1 answer (llm), 2 output. */
  private static ObjectNode node(ObjectNode doc, int i) {
    return (ObjectNode) doc.withArray("nodes").get(i);
  }

  private static ObjectNode data(ObjectNode doc, int i) {
    return (ObjectNode) node(doc, i).get("data");
  }

  private static ObjectNode variable(ObjectNode doc) {
    return (ObjectNode) data(doc, 0).withArray("variables").get(0);
  }

  private static ObjectNode addTemplateNode(ObjectNode doc) {
    ObjectNode tpl = doc.withArray("nodes").addObject();
    tpl.put("id", "tpl").put("type", "template");
    doc.withArray("edges").addObject().put("id", "e-tpl").put("source", "tpl").put("target", "output");
    return tpl.putObject("data");
  }

  /** A memory node with an edge to the llm node (answer); returns its data. */
  private static ObjectNode addMemoryNode(ObjectNode doc) {
    ObjectNode mem = doc.withArray("nodes").addObject();
    mem.put("id", "mem").put("type", "memory");
    doc.withArray("edges").addObject().put("id", "e-mem").put("source", "mem").put("target", "answer");
    return mem.putObject("data");
  }

  /** Edge {@code i} of the document. */
  private static ObjectNode edge(ObjectNode doc, int i) {
    return (ObjectNode) doc.withArray("edges").get(i);
  }

  /** The data of the node with this id. */
  private static ObjectNode dataOf(ObjectNode doc, String id) {
    for (JsonNode node : doc.withArray("nodes")) {
      if (node.path("id").asText().equals(id)) return (ObjectNode) node.get("data");
    }
    throw new IllegalArgumentException("no node " + id);
  }

  /** A new single rule as the approval policy of node calc, for the caller to fill in. */
  private static ObjectNode rule(ObjectNode doc) {
    return dataOf(doc, "calc").putObject("approval").putArray("rules").addObject();
  }

  /** Replaces the document (qa-raw) by another one, then edits it. */
  private static Consumer<ObjectNode> fromJson(String json, Consumer<ObjectNode> edit) {
    return doc -> {
      try {
        doc.removeAll();
        doc.setAll((ObjectNode) JSON.readTree(json));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      edit.accept(doc);
    };
  }

  /** Replaces the document (qa-raw) by a shipped example, then edits it. */
  private static Consumer<ObjectNode> from(String example, Consumer<ObjectNode> edit) {
    return doc -> {
      try {
        doc.removeAll();
        doc.setAll((ObjectNode) JSON.readTree(TestFlows.EXAMPLES.resolve(example + ".json").toFile()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      edit.accept(doc);
    };
  }

  private static Set<ValidationMessage> schemaErrors(JsonNode doc) {
    return schema.validate(doc);
  }

  private static FlowDefinition flow(JsonNode doc) {
    try {
      return JSON.treeToValue(doc, FlowDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void validate_withShippedExample_hasNoErrors(Path file) throws IOException {
    assertThat(schemaErrors(JSON.readTree(file.toFile()))).isEmpty();
  }

  @Test
  void validate_agentWithAnHttpTool_acceptsAGoodOne_andRejectsABadUrlOrAnUnknownProperty() throws IOException {
    ObjectNode doc = (ObjectNode) JSON.readTree(TestFlows.EXAMPLES.resolve("agent-tools.json").toFile());
    ObjectNode http = ((ObjectNode) node(doc, 1).get("data")).putArray("tools").addObject()
        .put("name", "weather").put("kind", "http").put("description", "Weather")
        .putObject("http").put("method", "POST").put("url", "https://api.example.com/v1?q={{args.city}}")
        .put("timeout", "5s").put("maxResponseBytes", 4096);
    http.putObject("headers").put("Authorization", "Bearer {{secrets.KEY}}");
    http.putArray("allowHosts").add("10.0.0.0/8");
    http.putObject("body").put("city", "{{args.city}}");
    assertThat(schemaErrors(doc)).isEmpty();

    http.put("url", "ftp://example.com/");
    assertThat(schemaErrors(doc)).isNotEmpty();
    http.put("url", "https://example.com/").put("retries", 3);
    assertThat(schemaErrors(doc)).isNotEmpty();
  }

  @Test
  void validate_withOutputNodeWithoutShape_reportsTheShape() {
    ObjectNode doc = qaRaw();
    data(doc, 2).remove("shape");

    assertThat(schemaErrors(doc)).extracting(ValidationMessage::getMessage)
        .anyMatch(m -> m.contains("shape") && m.contains("$.nodes[2].data"));
  }

  static Stream<Arguments> documentsTheValidatorAccepts() {
    return Stream.of(
        Arguments.of("chained llm nodes with json template", (Consumer<ObjectNode>) doc -> {
          doc.removeAll();
          doc.setAll((ObjectNode) JSON.valueToTree(TestFlows.json(TestFlows.CHAINED_JSON)));
        }),
        Arguments.of("text template node", (Consumer<ObjectNode>) doc -> addTemplateNode(doc).put("template", "x")),
        Arguments.of("memory node feeding the llm node", (Consumer<ObjectNode>) doc -> addMemoryNode(doc)
            .put("window", 5).put("tokenBudget", 2000).put("compact", true).put("label", "history")),
        Arguments.of("json template node", (Consumer<ObjectNode>) doc -> addTemplateNode(doc).putArray("json")),
        Arguments.of("temperature 0", (Consumer<ObjectNode>) doc -> data(doc, 1).put("temperature", 0)),
        Arguments.of("temperature 2", (Consumer<ObjectNode>) doc -> data(doc, 1).put("temperature", 2.0)),
        Arguments.of("variable without type", (Consumer<ObjectNode>) doc -> variable(doc).remove("type")),
        Arguments.of("no position", (Consumer<ObjectNode>) doc -> node(doc, 1).remove("position")),
        Arguments.of("canvas keys on nodes and edges", (Consumer<ObjectNode>) doc -> {
          node(doc, 1).put("selected", true);
          ((ObjectNode) doc.withArray("edges").get(0)).put("animated", true);
        }),
        Arguments.of("labels", (Consumer<ObjectNode>) doc -> {
          for (int i = 0; i < 3; i++) data(doc, i).put("label", "node " + i);
        }),
        Arguments.of("project", (Consumer<ObjectNode>) doc -> doc.put("project", "default")),
        Arguments.of("integer variable with integer default and enum", (Consumer<ObjectNode>) doc -> {
          ObjectNode v = variable(doc);
          v.put("type", "integer").put("default", 2).putArray("enum").add(1).add(2);
        }),
        Arguments.of("object variable with object default", (Consumer<ObjectNode>) doc -> {
          ObjectNode v = variable(doc);
          v.put("type", "object").putObject("default").put("k", 1);
        }),
        Arguments.of("any handle on an edge leaving an llm node", (Consumer<ObjectNode>) doc ->
            edge(doc, 1).put("sourceHandle", "out-1")),
        // approval nodes
        Arguments.of("approval example", from("approval-demo", doc -> {})),
        Arguments.of("approval without timeout or decision", from("approval-demo", doc -> {
          dataOf(doc, "review").remove("timeout");
          dataOf(doc, "review").remove("timeoutDecision");
        })),
        Arguments.of("approval timing out into approve", from("approval-demo", doc ->
            dataOf(doc, "review").put("timeoutDecision", "approve"))),
        Arguments.of("approval timeout in seconds", from("approval-demo", doc ->
            dataOf(doc, "review").put("timeout", 3600))),
        Arguments.of("approval timeout of 365 days in seconds", from("approval-demo", doc ->
            dataOf(doc, "review").put("timeout", 31_536_000))),
        Arguments.of("approval timeout in ISO-8601", from("approval-demo", doc ->
            dataOf(doc, "review").put("timeout", "PT2H"))),
        Arguments.of("approval with a label", from("approval-demo", doc ->
            dataOf(doc, "review").put("label", "Reviewer"))),
        Arguments.of("approval edge without handle", from("approval-demo", doc -> edge(doc, 1).remove("sourceHandle"))),
        Arguments.of("approval edge with null handle", from("approval-demo", doc -> edge(doc, 1).putNull("sourceHandle"))),
        Arguments.of("denied branch to a template", fromJson(TestFlows.DENIED_BRANCH_JSON, doc -> {})),
        // question nodes
        Arguments.of("choice question example", from("question-demo", doc -> {})),
        Arguments.of("text question", from("question-demo", doc -> {
          dataOf(doc, "depth").remove("answerType");
          dataOf(doc, "depth").remove("choices");
        })),
        Arguments.of("text question without timeout answer", from("question-demo", doc -> {
          dataOf(doc, "depth").put("answerType", "text").remove("choices");
          dataOf(doc, "depth").remove("timeoutAnswer");
          dataOf(doc, "depth").remove("timeout");
        })),
        Arguments.of("json question", fromJson(TestFlows.JSON_QUESTION_JSON, doc -> {})),
        Arguments.of("json question with timeout answer", fromJson(TestFlows.JSON_QUESTION_JSON, doc ->
            dataOf(doc, "plan").put("timeout", "10m").putObject("timeoutAnswer").put("steps", 3))),
        // tool nodes
        Arguments.of("tool needing approval", fromJson(TestFlows.CALCULATOR_JSON, doc -> {})),
        Arguments.of("tool never needing approval", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            dataOf(doc, "calc").put("approval", "never"))),
        Arguments.of("tool without approval policy", fromJson(TestFlows.CALCULATOR_JSON, doc -> {
          dataOf(doc, "calc").remove("approval");
          dataOf(doc, "calc").remove("approvalMessage");
        })),
        Arguments.of("tool with approval mode always", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            dataOf(doc, "calc").putObject("approval").put("mode", "always"))),
        Arguments.of("tool with approval rules", fromJson(TestFlows.CALCULATOR_JSON, doc -> {
          ObjectNode policy = dataOf(doc, "calc").putObject("approval").put("match", "all");
          ArrayNode rules = policy.putArray("rules");
          rules.addObject().put("argument", "expression").put("operator", "matches").put("value", "\\d{6,}");
          rules.addObject().put("argument", "expression").put("operator", "exists");
          rules.addObject().put("argument", "limits.0").put("operator", "gt").put("value", 100);
          rules.addObject().put("argument", "currency").put("operator", "not_in").putArray("value").add("EUR");
        })),
        Arguments.of("tool arguments from one placeholder", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            dataOf(doc, "calc").put("arguments", "{{ input.expression }}"))),
        Arguments.of("tool with timeout and timeout decision", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            dataOf(doc, "calc").put("timeout", "30m").put("timeoutDecision", "approve"))),
        Arguments.of("tool without arguments", fromJson(TestFlows.CALCULATOR_JSON, doc -> {
          dataOf(doc, "calc").put("tool", "current_time").remove("arguments");
        })),
        Arguments.of("tool with denied edge", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            edge(doc, 1).put("sourceHandle", "denied"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documentsTheValidatorAccepts")
  void validate_withDocumentTheValidatorAccepts_hasNoErrors(String name, Consumer<ObjectNode> edit) {
    ObjectNode doc = qaRaw();
    edit.accept(doc);

    assertThat(FlowValidator.validate(flow(doc))).as("FlowValidator").isEmpty();
    assertThat(schemaErrors(doc)).as("schema").isEmpty();
  }

  static Stream<Arguments> documentsTheValidatorRejects() {
    return Stream.of(
        Arguments.of("missing slug", (Consumer<ObjectNode>) doc -> doc.remove("slug")),
        Arguments.of("uppercase slug", (Consumer<ObjectNode>) doc -> doc.put("slug", "QA")),
        Arguments.of("empty nodes", (Consumer<ObjectNode>) doc -> {
          doc.putArray("nodes");
          doc.remove("edges");
        }),
        Arguments.of("unknown node type", (Consumer<ObjectNode>) doc -> node(doc, 1).put("type", "http")),
        Arguments.of("memory window 0", (Consumer<ObjectNode>) doc -> addMemoryNode(doc).put("window", 0)),
        Arguments.of("memory token budget as text", (Consumer<ObjectNode>) doc -> addMemoryNode(doc)
            .put("tokenBudget", "2000")),
        Arguments.of("memory compact as text", (Consumer<ObjectNode>) doc -> addMemoryNode(doc).put("compact", "yes")),
        Arguments.of("memory unknown property", (Consumer<ObjectNode>) doc -> addMemoryNode(doc).put("size", 3)),
        Arguments.of("malformed node id", (Consumer<ObjectNode>) doc -> {
          addTemplateNode(doc).put("template", "x");
          node(doc, 3).put("id", "has space");
        }),
        Arguments.of("non-input node called input", (Consumer<ObjectNode>) doc -> {
          ObjectNode n = node(doc, 0);
          n.put("type", "template");
          n.putObject("data").put("template", "x");
        }),
        Arguments.of("no output node", (Consumer<ObjectNode>) doc -> node(doc, 2).put("type", "template")
            .putObject("data").put("template", "x")),
        Arguments.of("two output nodes", (Consumer<ObjectNode>) doc -> {
          ObjectNode out = doc.withArray("nodes").addObject().put("id", "output2").put("type", "output");
          out.putObject("data").put("shape", "raw");
        }),
        Arguments.of("llm without prompt", (Consumer<ObjectNode>) doc -> data(doc, 1).remove("prompt")),
        Arguments.of("llm with blank prompt", (Consumer<ObjectNode>) doc -> data(doc, 1).put("prompt", " ")),
        Arguments.of("temperature above 2", (Consumer<ObjectNode>) doc -> data(doc, 1).put("temperature", 5)),
        Arguments.of("negative temperature", (Consumer<ObjectNode>) doc -> data(doc, 1).put("temperature", -0.5)),
        Arguments.of("maxTokens 0", (Consumer<ObjectNode>) doc -> data(doc, 1).put("maxTokens", 0)),
        Arguments.of("fractional maxTokens", (Consumer<ObjectNode>) doc -> data(doc, 1).put("maxTokens", 1.5)),
        Arguments.of("maxTokens as string", (Consumer<ObjectNode>) doc -> data(doc, 1).put("maxTokens", "512")),
        Arguments.of("bad variable name", (Consumer<ObjectNode>) doc -> variable(doc).put("name", "1st")),
        Arguments.of("unknown variable type", (Consumer<ObjectNode>) doc -> variable(doc).put("type", "text")),
        Arguments.of("required not boolean", (Consumer<ObjectNode>) doc -> variable(doc).put("required", "yes")),
        Arguments.of("string default for integer", (Consumer<ObjectNode>) doc -> variable(doc)
            .put("type", "integer").put("default", "2")),
        Arguments.of("number default for string", (Consumer<ObjectNode>) doc -> variable(doc).put("default", 2)),
        Arguments.of("enum value of wrong type", (Consumer<ObjectNode>) doc -> variable(doc)
            .put("type", "boolean").putArray("enum").add(true).add("no")),
        Arguments.of("empty enum", (Consumer<ObjectNode>) doc -> variable(doc).putArray("enum")),
        Arguments.of("template and json", (Consumer<ObjectNode>) doc -> addTemplateNode(doc)
            .put("template", "x").put("json", "y")),
        Arguments.of("neither template nor json", (Consumer<ObjectNode>) doc -> addTemplateNode(doc)),
        Arguments.of("unknown output shape", (Consumer<ObjectNode>) doc -> data(doc, 2).put("shape", "xml")),
        Arguments.of("output without shape", (Consumer<ObjectNode>) doc -> data(doc, 2).remove("shape")),
        Arguments.of("json_template without template", (Consumer<ObjectNode>) doc -> data(doc, 2)
            .put("shape", "json_template")),
        Arguments.of("unknown llm property", (Consumer<ObjectNode>) doc -> data(doc, 1).put("topP", 0.9)),
        Arguments.of("output property on input node", (Consumer<ObjectNode>) doc -> data(doc, 0)
            .put("shape", "raw")),
        Arguments.of("input without variables", (Consumer<ObjectNode>) doc -> {
          data(doc, 0).remove("variables");
          data(doc, 1).put("prompt", "hi").remove("systemPrompt");
        }),
        // approval nodes
        Arguments.of("approval without message", from("approval-demo", doc -> dataOf(doc, "review").remove("message"))),
        Arguments.of("approval with blank message", from("approval-demo", doc ->
            dataOf(doc, "review").put("message", "  "))),
        Arguments.of("approval with unknown timeout decision", from("approval-demo", doc ->
            dataOf(doc, "review").put("timeoutDecision", "maybe"))),
        Arguments.of("approval timeout of 0 seconds", from("approval-demo", doc ->
            dataOf(doc, "review").put("timeout", 0))),
        Arguments.of("approval with negative timeout", from("approval-demo", doc ->
            dataOf(doc, "review").put("timeout", -60))),
        Arguments.of("approval timeout over 365 days in seconds", from("approval-demo", doc ->
            dataOf(doc, "review").put("timeout", 31_536_001))),
        Arguments.of("approval timeout as boolean", from("approval-demo", doc ->
            dataOf(doc, "review").put("timeout", true))),
        Arguments.of("question property on an approval", from("approval-demo", doc ->
            dataOf(doc, "review").put("question", "?"))),
        // question nodes
        Arguments.of("question without question", from("question-demo", doc -> dataOf(doc, "depth").remove("question"))),
        Arguments.of("unknown answer type", from("question-demo", doc -> dataOf(doc, "depth").put("answerType", "number"))),
        Arguments.of("choice question without choices", from("question-demo", doc -> {
          dataOf(doc, "depth").remove("choices");
          dataOf(doc, "depth").remove("timeoutAnswer");
        })),
        Arguments.of("duplicate choices", from("question-demo", doc -> {
          dataOf(doc, "depth").putArray("choices").add("short").add("short");
          dataOf(doc, "depth").put("timeoutAnswer", "short");
        })),
        Arguments.of("one choice", from("question-demo", doc -> {
          dataOf(doc, "depth").putArray("choices").add("short");
          dataOf(doc, "depth").put("timeoutAnswer", "short");
        })),
        Arguments.of("blank choice", from("question-demo", doc -> dataOf(doc, "depth").withArray("choices").add(" "))),
        Arguments.of("choices on a text question", from("question-demo", doc ->
            dataOf(doc, "depth").put("answerType", "text"))),
        Arguments.of("choices without answer type", from("question-demo", doc ->
            dataOf(doc, "depth").remove("answerType"))),
        Arguments.of("schema on a choice question", from("question-demo", doc ->
            dataOf(doc, "depth").putObject("schema").put("type", "string"))),
        Arguments.of("json question without schema", fromJson(TestFlows.JSON_QUESTION_JSON, doc ->
            dataOf(doc, "plan").remove("schema"))),
        Arguments.of("json question with a boolean schema", fromJson(TestFlows.JSON_QUESTION_JSON, doc ->
            dataOf(doc, "plan").put("schema", true))),
        Arguments.of("timeout decision on a question", from("question-demo", doc ->
            dataOf(doc, "depth").put("timeoutDecision", "approve"))),
        // tool nodes
        Arguments.of("unknown tool", fromJson(TestFlows.CALCULATOR_JSON, doc -> dataOf(doc, "calc").put("tool", "shell"))),
        Arguments.of("tool node without tool", fromJson(TestFlows.CALCULATOR_JSON, doc -> dataOf(doc, "calc").remove("tool"))),
        Arguments.of("tool arguments as array", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            dataOf(doc, "calc").putArray("arguments").add("1+1"))),
        Arguments.of("tool arguments as number", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            dataOf(doc, "calc").put("arguments", 2))),
        Arguments.of("tool arguments as plain text", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            dataOf(doc, "calc").put("arguments", "1+1"))),
        Arguments.of("tool arguments as text around a placeholder", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            dataOf(doc, "calc").put("arguments", "{{input.expression}} please"))),
        Arguments.of("unknown approval word", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            dataOf(doc, "calc").put("approval", "sometimes"))),
        Arguments.of("approval policy without rules", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            dataOf(doc, "calc").putObject("approval").put("match", "any"))),
        Arguments.of("approval policy with empty rules", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            dataOf(doc, "calc").putObject("approval").putArray("rules"))),
        Arguments.of("approval rule with unknown operator", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            rule(doc).put("argument", "expression").put("operator", "like").put("value", "x"))),
        Arguments.of("approval rule without value", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            rule(doc).put("argument", "expression").put("operator", "equals"))),
        Arguments.of("approval rule with null value", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            rule(doc).put("argument", "expression").put("operator", "equals").putNull("value"))),
        Arguments.of("approval rule comparing with text", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            rule(doc).put("argument", "amount").put("operator", "gt").put("value", "100"))),
        Arguments.of("approval rule in without array", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            rule(doc).put("argument", "currency").put("operator", "in").put("value", "EUR"))),
        Arguments.of("approval rule without argument", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            rule(doc).put("operator", "exists"))),
        Arguments.of("approval rule with unknown property", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            rule(doc).put("argument", "expression").put("operator", "exists").put("note", "why"))),
        Arguments.of("approval policy with unknown match", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            rule(doc).put("argument", "expression").put("operator", "exists"))
            .andThen(doc -> ((ObjectNode) dataOf(doc, "calc").get("approval")).put("match", "most"))),
        Arguments.of("approval message not a string", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            dataOf(doc, "calc").putArray("approvalMessage").add("Compute?"))),
        Arguments.of("tool with unknown timeout decision", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            dataOf(doc, "calc").put("timeoutDecision", "later"))),
        Arguments.of("approval property on a tool", fromJson(TestFlows.CALCULATOR_JSON, doc ->
            dataOf(doc, "calc").put("message", "Compute?"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documentsTheValidatorRejects")
  void validate_withDocumentTheValidatorRejects_hasErrors(String name, Consumer<ObjectNode> edit) {
    ObjectNode doc = qaRaw();
    edit.accept(doc);

    assertThat(FlowValidator.validate(flow(doc))).as("FlowValidator").isNotEmpty();
    assertThat(schemaErrors(doc)).as("schema").isNotEmpty();
  }

  @Test
  void validate_withUnknownTopLevelKey_reportsIt() {
    ObjectNode doc = qaRaw();
    doc.putArray("node");

    assertThat(schemaErrors(doc)).isNotEmpty();
  }

  @Test
  void validate_withUnknownVariableProperty_reportsIt() {
    ObjectNode doc = qaRaw();
    variable(doc).put("requierd", true);

    assertThat(schemaErrors(doc)).isNotEmpty();
  }
}
