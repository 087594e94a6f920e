package io.durableflows.workflows.flow;

import java.util.List;

/** Thrown by the pure flow helpers when a definition, an input or an override is invalid. */
public class InvalidFlowException extends RuntimeException {
  private final List<FieldError> errors;

  public InvalidFlowException(String message, List<FieldError> errors) {
    super(message);
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
