package io.durableflows.api.support;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Prints the tails of a {@link ProcessStack}'s logs (killed processes included) when a test fails, before
 * {@code @AfterEach} stops the stack: a crash test's failure is rarely explained by the test's own output.
 *
 * <pre>{@code @RegisterExtension final PrintLogsOnFailure logs = new PrintLogsOnFailure(() -> stack);}</pre>
 */
public final class PrintLogsOnFailure implements AfterTestExecutionCallback {
  private final Supplier<ProcessStack> stack;

  public PrintLogsOnFailure(Supplier<ProcessStack> stack) {
    this.stack = stack;
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    ProcessStack s = stack.get();
    if (s != null && context.getExecutionException().isPresent()) {
      System.err.println("----- " + context.getDisplayName() + " failed; process logs:" + s.logTails());
    }
  }
}
