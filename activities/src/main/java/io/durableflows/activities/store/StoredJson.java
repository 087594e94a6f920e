package io.durableflows.activities.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.workflows.flow.FlowDefinition;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;

/** JSON columns as the stores read and write them: values, objects and stored flow definitions. */
public final class StoredJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private StoredJson() {}

  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The value of a JSON column; null for SQL null. */
  public static Object read(String json) {
    try {
      return json == null ? null : JSON.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JSON object column; empty for SQL null or anything but an object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readMap(String json) {
    return read(json) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  /**
   * A stored flow definition. One that cannot be read will not become readable on a retry: a non-retryable
   * failure of {@code failureType}, whose message starts with {@code what}.
   */
  public static FlowDefinition flow(String json, String failureType, String what) {
    try {
      return JSON.readValue(json, FlowDefinition.class);
    } catch (JsonProcessingException e) {
      throw ApplicationFailure.newNonRetryableFailure(what + " cannot be read: " + e.getOriginalMessage(),
          failureType);
    }
  }
}
