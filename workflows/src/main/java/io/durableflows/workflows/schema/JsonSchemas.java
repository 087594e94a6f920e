package io.durableflows.workflows.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The small JSON Schemas flows carry (a question's answer, a tool's arguments), checked with draft 2020-12.
 * Pure: schemas may only refer inside themselves ({@code #...}), so nothing is ever fetched, and the same value
 * always gets the same verdict. That makes it safe in workflow code, where update validators use it.
 */
public final class JsonSchemas {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> DIALECTS = Set.of(
      "https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2020-12/schema#");
  /** Only the meta-schemas bundled in the validator's jar: never the network. */
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
      builder -> builder.schemaLoaders(loaders -> loaders.values(list ->
          list.addFirst(new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:")
              || iri.toString().startsWith("https://json-schema.org/draft/2020-12/"))))));
  private static final JsonSchema META = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012));
  private static final int MAX_COMPILED = 256;
  private static final Map<String, JsonSchema> COMPILED = new ConcurrentHashMap<>();

  private JsonSchemas() {}

  /** What is wrong with {@code schema} as a schema of ours; empty when it is usable. */
  public static List<String> problems(Object schema) {
    List<String> problems = new ArrayList<>();
    if (!(schema instanceof Map<?, ?> map)) {
      problems.add("must be a JSON Schema object");
      return problems;
    }
    if (map.get("$schema") != null && !DIALECTS.contains(String.valueOf(map.get("$schema")))) {
      problems.add("$schema must be omitted or name draft 2020-12");
    }
    findRemoteReferences(schema, "", problems);
    if (!problems.isEmpty()) return problems;
    for (ValidationMessage m : sorted(META.validate(JSON.valueToTree(schema)))) {
      problems.add(m.getMessage());
    }
    return problems;
  }

  /** Why {@code value} does not match {@code schema}, one message per problem; empty when it matches. */
  public static List<String> violations(Object schema, Object value) {
    JsonSchema compiled = compiled(schema);
    if (compiled == null) return List.of("the schema itself is not valid");
    return sorted(compiled.validate(JSON.<JsonNode>valueToTree(value))).stream()
        .map(ValidationMessage::getMessage).toList();
  }

  /**
   * The schema checked and compiled once per distinct schema: answers and tool calls are validated in workflow
   * code, where every call costs the run's thread. Null when the schema is not usable.
   */
  private static JsonSchema compiled(Object schema) {
    JsonNode tree = JSON.valueToTree(schema);
    String key = tree.toString();
    JsonSchema cached = COMPILED.get(key);
    if (cached != null) return cached;
    if (!problems(schema).isEmpty()) return null;
    JsonSchema compiled = FACTORY.getSchema(tree);
    if (COMPILED.size() >= MAX_COMPILED) COMPILED.clear();
    COMPILED.put(key, compiled);
    return compiled;
  }

  private static List<ValidationMessage> sorted(Set<ValidationMessage> messages) {
    return messages.stream().sorted(Comparator.comparing(ValidationMessage::getMessage)).toList();
  }

  private static void findRemoteReferences(Object node, String path, List<String> problems) {
    if (node instanceof Map<?, ?> map) {
      for (var entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        if ((key.equals("$ref") || key.equals("$dynamicRef"))
            && !(entry.getValue() instanceof String ref && ref.startsWith("#"))) {
          problems.add(path + "/" + key + " may only point inside the schema (start with '#')");
        } else if (key.equals("$id") || key.equals("$anchor") && !(entry.getValue() instanceof String)) {
          problems.add(path + "/" + key + " is not supported: a schema here is identified by where it is used");
        } else {
          findRemoteReferences(entry.getValue(), path + "/" + key, problems);
        }
      }
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) findRemoteReferences(list.get(i), path + "/" + i, problems);
    }
  }
}
