package io.durableflows.workflows.flow;

import java.util.regex.Pattern;

/**
 * A regex search in bounded work: a user's pattern that backtracks badly would otherwise hold a thread (in workflow
 * code, past Temporal's deadlock detector on every replay). Counting the characters the matcher reads, not time,
 * keeps the verdict deterministic.
 */
public final class BudgetedRegex {
  private BudgetedRegex() {}

  /** Thrown when the matcher read more than its budget of characters. */
  public static final class Exhausted extends RuntimeException {
    Exhausted() {
      super(null, null, false, false);
    }
  }

  /**
   * Whether {@code pattern} occurs in {@code text}, reading at most {@code budget} characters.
   *
   * @throws Exhausted when the budget ran out first
   */
  public static boolean find(Pattern pattern, String text, int budget) {
    return pattern.matcher(new BudgetedChars(text, new int[] {budget})).find();
  }

  /** A string that counts the characters a matcher reads and stops it when the budget is spent. */
  private record BudgetedChars(String text, int[] budget) implements CharSequence {
    @Override
    public char charAt(int index) {
      if (--budget[0] < 0) throw new Exhausted();
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new BudgetedChars(text.substring(start, end), budget);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
