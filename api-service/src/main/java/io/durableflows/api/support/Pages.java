package io.durableflows.api.support;

import io.durableflows.api.errors.ApiException;

/** Numbered pages over ordered rows ({@code page} from 1, {@code page_size} from 1 to a route's maximum). */
public final class Pages {
  private Pages() {}

  public record Page(int page, int size) {
    /** Rows before this page, as a long: a far page of a large size is past every row, not a negative offset. */
    public long offset() {
      return (long) (page - 1) * size;
    }

    /** {@link #offset()} for a query; past {@code Integer.MAX_VALUE} there are no rows anyway. */
    public int sqlOffset() {
      return (int) Math.min(Integer.MAX_VALUE, offset());
    }
  }

  /** 400 {@code invalid_request} for a page below 1 or a size outside 1..{@code maxSize}. */
  public static Page of(int page, int size, int maxSize) {
    if (page < 1) throw ApiException.badRequest("invalid_request", "page starts at 1");
    if (size < 1 || size > maxSize) {
      throw ApiException.badRequest("invalid_request", "page_size must be between 1 and " + maxSize);
    }
    return new Page(page, size);
  }
}
