package io.tributary.hubspot;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Paces one portal's requests under rolling-window limits (requests per 10 s, searches per second)
 * so a healthy sync never meets a 429, and holds every request back while HubSpot asked to wait.
 * Shared by the threads of this node that call the same portal.
 */
final class RequestBudget {

    // A little longer than HubSpot's own windows: HubSpot counts when a request arrives, not when it
    // was sent, and that jitter must never make a paced burst look like one over the limit.
    private static final long TEN_SECONDS = Duration.ofMillis(10_500).toNanos();
    private static final long ONE_SECOND = Duration.ofMillis(1_100).toNanos();

    private final int perTenSeconds;
    private final int searchesPerSecond;
    private final Deque<Long> requests = new ArrayDeque<>();
    private final Deque<Long> searches = new ArrayDeque<>();
    private long pausedUntil;

    RequestBudget(int perTenSeconds, int searchesPerSecond) {
        this.perTenSeconds = perTenSeconds;
        this.searchesPerSecond = searchesPerSecond;
    }

    /** Blocks until one more request (a search, if so) fits in the budget, then counts it. */
    synchronized void acquire(boolean search) throws InterruptedException {
        while (true) {
            long now = System.nanoTime();
            long wait = Math.max(pausedUntil - now, Math.max(waitFor(requests, perTenSeconds, TEN_SECONDS, now),
                    search ? waitFor(searches, searchesPerSecond, ONE_SECOND, now) : 0));
            if (wait <= 0) {
                requests.addLast(now);
                if (search) {
                    searches.addLast(now);
                }
                return;
            }
            wait(Math.max(1, wait / 1_000_000), (int) (wait % 1_000_000));
        }
    }

    /** HubSpot said to wait (429 Retry-After, or no requests remaining in its window). */
    synchronized void pause(Duration duration) {
        pausedUntil = Math.max(pausedUntil, System.nanoTime() + duration.toNanos());
    }

    private static long waitFor(Deque<Long> window, int limit, long length, long now) {
        while (!window.isEmpty() && now - window.peekFirst() >= length) {
            window.pollFirst();
        }
        return window.size() < limit ? 0 : window.peekFirst() + length - now;
    }
}
