package io.tributary.api;

import java.util.List;
import java.util.function.Function;

/** The list shape of every API endpoint: {"items": [...], "next_cursor": "..." | null}. */
public record ListPage<T>(List<T> items, String nextCursor) {

    /**
     * A page from rows fetched with limit + 1: the extra row only says that another page follows,
     * which then continues after the position of the page's last item.
     */
    static <T> ListPage<T> of(List<T> fetched, int limit, Function<T, String> positionOf) {
        boolean more = fetched.size() > limit;
        List<T> items = more ? fetched.subList(0, limit) : fetched;
        return new ListPage<>(items, more ? Cursors.encode(positionOf.apply(items.get(limit - 1))) : null);
    }
}
