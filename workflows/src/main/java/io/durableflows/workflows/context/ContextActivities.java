package io.durableflows.workflows.context;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Reads skills and blocks from PostgreSQL and renders dynamic blocks (cached with a TTL). */
@ActivityInterface
public interface ContextActivities {
  /** Unknown names come back as {@code missing} parts, a dynamic block that fails to render with its error. */
  @ActivityMethod(name = "BuildContext")
  ContextBlocks build(ContextRequest request);
}
