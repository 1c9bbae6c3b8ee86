package io.tributary.api;

import java.util.List;

/** The list shape of every API endpoint: {"items": [...], "next_cursor": "..." | null}. */
public record ListPage<T>(List<T> items, String nextCursor) {
}
