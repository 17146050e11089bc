package io.keyhook.common.audit;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One page of an audit trail, newest first: {@code nextCursor} (the last item's id) is there only when more entries
 * follow, so a client never fetches an empty page after the last one.
 */
public record AuditPage<T>(List<T> items, String nextCursor) {

    /**
     * The page of {@code fetched}, read with {@code limit + 1} rows: the extra row only tells that there is more and is
     * not shown.
     */
    public static <T> AuditPage<T> of(List<T> fetched, int limit, ToLongFunction<T> id) {
        if (limit < 1) {
            throw new IllegalArgumentException("an audit page holds at least one entry");
        }
        if (fetched.size() <= limit) {
            return new AuditPage<>(List.copyOf(fetched), null);
        }
        List<T> items = List.copyOf(fetched.subList(0, limit));
        return new AuditPage<>(items, Long.toString(id.applyAsLong(items.get(limit - 1))));
    }

    /** The same page with each item as the API shows it. */
    public <R> AuditPage<R> map(Function<T, R> f) {
        return new AuditPage<>(items.stream().map(f).toList(), nextCursor);
    }
}
