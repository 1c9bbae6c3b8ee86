package io.tributary.api;

import java.util.List;
import java.util.Map;

/** The one error shape of the API (DESIGN.md §3). */
public record ApiError(String error, String message, List<Map<String, Object>> details, String requestId) {
}
