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
        }));
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
        }));
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
