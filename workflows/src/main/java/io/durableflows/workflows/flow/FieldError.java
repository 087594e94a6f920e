package io.durableflows.workflows.flow;

/** One validation problem: {@code node} is null for problems that are not about a node. */
public record FieldError(String node, String field, String message) {
  public static FieldError of(String field, String message) {
    return new FieldError(null, field, message);
  }
}
