package io.durableflows.api.support;

import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** JSON text <-> Java values for jsonb columns, with the application's mapper. */
@Component
public class Json {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private final ObjectMapper mapper;

  public Json(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public String write(Object value) {
    return value == null ? null : mapper.writeValueAsString(value);
  }

  public Object read(String json) {
    return json == null ? null : mapper.readValue(json, Object.class);
  }

  public Map<String, Object> readMap(String json) {
    return json == null ? null : mapper.readValue(json, MAP);
  }
}
