package io.durableflows.workflows.run;

import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.FailureConverter;
import io.temporal.failure.DefaultFailureConverter;
import io.temporal.internal.worker.WorkflowExecutionException;
import javax.annotation.Nonnull;

/**
 * Keeps the type of an update validator's {@code ApplicationFailure} (e.g. {@code HitlFailures.REQUEST_NOT_FOUND})
 * on its way to the caller. Temporal Java SDK 1.38.0 wraps it in its internal {@link WorkflowExecutionException}
 * and serializes the wrapper, so the caller sees the type {@code io.temporal.internal.worker.WorkflowExecutionException}
 * with the original message (fixed upstream after 1.38.0: temporalio/sdk-java#3001). This converter serializes the
 * failure the wrapper carries instead. Workers install it with {@link #dataConverter()}; it changes nothing else,
 * and nothing written to histories. Remove it once the SDK has the fix ({@code UpdateFailureConverterTest} says when).
 */
public final class UpdateFailureConverter implements FailureConverter {
  private final FailureConverter delegate;

  public UpdateFailureConverter() {
    this(new DefaultFailureConverter());
  }

  public UpdateFailureConverter(FailureConverter delegate) {
    this.delegate = delegate;
  }

  /** The default data converter with this failure converter: what workers hosting the run workflow should use. */
  public static DataConverter dataConverter() {
    return DefaultDataConverter.newDefaultInstance().withFailureConverter(new UpdateFailureConverter());
  }

  @Override
  public @Nonnull RuntimeException failureToException(@Nonnull Failure failure, @Nonnull DataConverter dataConverter) {
    return delegate.failureToException(failure, dataConverter);
  }

  @Override
  public @Nonnull Failure exceptionToFailure(@Nonnull Throwable throwable, @Nonnull DataConverter dataConverter) {
    if (throwable instanceof WorkflowExecutionException wrapped) return wrapped.getFailure();
    return delegate.exceptionToFailure(throwable, dataConverter);
  }
}
