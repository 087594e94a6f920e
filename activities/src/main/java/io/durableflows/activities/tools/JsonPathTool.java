package io.durableflows.activities.tools;

import static io.durableflows.activities.tools.Tool.invalidArguments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.NullNode;
import io.durableflows.workflows.tools.BuiltInTools;
import io.durableflows.workflows.tools.ToolSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code json_path}: {@code {"json": {...}, "path": "$.items[0].name"}} gives {@code {"path": ..., "value": ...}}.
 * A path with a wildcard or a descent gives a list, even of one value. A {@code json} given as a string is read
 * as JSON text: models usually pass on a document they received as text.
 */
final class JsonPathTool implements Tool {
  private static final ToolSpec SPEC = BuiltInTools.find(BuiltInTools.JSON_PATH).orElseThrow();
  private final ObjectMapper json;
  private final ObjectReader reader;

  JsonPathTool(ObjectMapper json) {
    this.json = json;
    this.reader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  @Override
  public ToolSpec spec() {
    return SPEC;
  }

  @Override
  public Output run(Map<String, Object> arguments) {
    String path = (String) arguments.get("path");
    JsonPath compiled = JsonPath.compile(path);
    List<JsonNode> found = compiled.select(document(arguments.get("json")));
    JsonNode value = compiled.definite() ? found.getFirst() : json.createArrayNode().addAll(found);
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("path", path);
    output.put("value", json.convertValue(value, Object.class));
    return new Output(output, value.isTextual() ? value.textValue() : value.toString());
  }

  private JsonNode document(Object raw) {
    if (raw == null) return NullNode.getInstance();
    if (!(raw instanceof String text)) return json.valueToTree(raw);
    try {
      JsonNode node = reader.readTree(text);
      if (node == null || node.isMissingNode()) throw invalidArguments("json is an empty string: pass a document");
      return node;
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw invalidArguments("json is a string but not JSON text (" + e.getOriginalMessage()
          + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ")");
    }
  }
}
