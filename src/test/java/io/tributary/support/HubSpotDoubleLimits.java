package io.tributary.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The CRM API's rate limits, per portal, and the faults a test injects. HubSpot counts searches
 * apart: they have their own per-second limit, stay out of the ten-second window and carry no
 * rate-limit headers.
 */
final class HubSpotDoubleLimits {

    private static final long WINDOW_MILLIS = 10_000;
    private static final long SEARCH_WINDOW_MILLIS = 1_000;
    /** X-HubSpot-RateLimit-Max when no limit is enforced: the burst HubSpot gives a marketplace OAuth app. */
    private static final int REPORTED_MAX = 110;

    private int perTenSeconds;
    private int searchPerSecond;
    private int failuresLeft;
    private int failureStatus;
    private int throttlesLeft;
    private int throttleRetryAfter;
    private int throttled;
    private final Map<Long, ArrayDeque<Long>> calls = new HashMap<>();
    private final Map<Long, ArrayDeque<Long>> searches = new HashMap<>();

    synchronized void enforce(int perTenSeconds, int searchPerSecond) {
        this.perTenSeconds = perTenSeconds;
        this.searchPerSecond = searchPerSecond;
    }

    synchronized void failNext(int count, int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("failNext injects server errors (5xx), not " + status);
        }
        failuresLeft = count;
        failureStatus = status;
    }

    synchronized void throttleNext(int count, int retryAfterSeconds) {
        throttlesLeft = count;
        throttleRetryAfter = Math.max(1, retryAfterSeconds);
    }

    synchronized int throttled() {
        return throttled;
    }

    synchronized void reset() {
        perTenSeconds = 0;
        searchPerSecond = 0;
        failuresLeft = 0;
        throttlesLeft = 0;
        throttled = 0;
        calls.clear();
        searches.clear();
    }

    /** Null when the request may go on; else the 429 or 5xx it gets instead. Injected faults come first. */
    synchronized HubSpotDoubleReply admit(long hubId, boolean search) {
        if (throttlesLeft > 0) {
            throttlesLeft--;
            return tooMany(search, throttleRetryAfter);
        }
        if (failuresLeft > 0) {
            failuresLeft--;
            return HubSpotDoubleReply.json(failureStatus, HubSpotDoubleReply.errorBody(null,
                    "Internal error (injected " + failureStatus + ")"));
        }
        long now = now();
        ArrayDeque<Long> window = window(search ? searches : calls, hubId, now);
        int limit = search ? searchPerSecond : perTenSeconds;
        if (limit > 0 && window.size() >= limit) {
            long wait = window.peekFirst() + (search ? SEARCH_WINDOW_MILLIS : WINDOW_MILLIS) - now;
            return tooMany(search, (int) Math.max(1, (wait + 999) / 1000));
        }
        window.addLast(now);
        return null;
    }

    /** The rate-limit headers of a non-search response; none daily: HubSpot has no daily cap for OAuth calls. */
    synchronized Map<String, String> headers(long hubId, boolean throttledReply) {
        int max = perTenSeconds > 0 ? perTenSeconds : REPORTED_MAX;
        int used = window(calls, hubId, now()).size();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-HubSpot-RateLimit-Max", Integer.toString(max));
        headers.put("X-HubSpot-RateLimit-Remaining", Integer.toString(throttledReply ? 0 : Math.max(0, max - used)));
        headers.put("X-HubSpot-RateLimit-Interval-Milliseconds", Long.toString(WINDOW_MILLIS));
        return headers;
    }

    private HubSpotDoubleReply tooMany(boolean search, int retryAfterSeconds) {
        throttled++;
        ObjectNode body = HubSpotDoubleReply.JSON.createObjectNode().put("status", "error")
                .put("message", search ? "You have reached your secondly limit."
                        : "You have reached your ten_secondly_rolling limit.")
                .put("errorType", "RATE_LIMIT")
                .put("correlationId", UUID.randomUUID().toString())
                .put("policyName", search ? "SECONDLY" : "TEN_SECONDLY_ROLLING");
        return HubSpotDoubleReply.json(429, body)
                .withHeaders(Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    /** The portal's requests of the last window (10 s, or 1 s for searches), older ones dropped. */
    private ArrayDeque<Long> window(Map<Long, ArrayDeque<Long>> windows, long hubId, long now) {
        ArrayDeque<Long> window = windows.computeIfAbsent(hubId, id -> new ArrayDeque<>());
        long span = windows == searches ? SEARCH_WINDOW_MILLIS : WINDOW_MILLIS;
        while (!window.isEmpty() && window.peekFirst() <= now - span) {
            window.removeFirst();
        }
        return window;
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }
}
