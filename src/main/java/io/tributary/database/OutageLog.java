package io.tributary.database;

import io.tributary.common.SafeErrors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a database outage as two lines, a WARN when the first attempt fails and an INFO when one
 * succeeds again, instead of a line per failed poll or request. Safe to share between threads.
 */
public final class OutageLog {

    private static final long UP = 0;

    private final Logger log;
    private final String subject;
    private final AtomicLong downSinceNanos = new AtomicLong(UP);
    private final AtomicLong failures = new AtomicLong();

    /** subject names who is affected in the log lines, e.g. the route id. */
    public OutageLog(Logger log, String subject) {
        this.log = log;
        this.subject = subject;
    }

    /** Runs one attempt: an unavailable database is logged here and swallowed; any other failure propagates. */
    public void attempt(Runnable work) {
        try {
            work.run();
            succeeded();
        } catch (RuntimeException e) {
            if (!DatabaseUnavailable.isCause(e)) {
                throw e;
            }
            failed(e);
        }
    }

    public void failed(Throwable error) {
        failures.incrementAndGet();
        // System.nanoTime() may be 0 itself; | 1 keeps "down" distinct from UP.
        if (downSinceNanos.compareAndSet(UP, System.nanoTime() | 1)) {
            log.warn("{}: the database is unavailable ({}); retrying quietly until it is back",
                    subject, SafeErrors.describe(error));
        } else {
            log.debug("{}: the database is still unavailable ({})", subject, SafeErrors.describe(error));
        }
    }

    public void succeeded() {
        long since = downSinceNanos.get();
        if (since != UP && downSinceNanos.compareAndSet(since, UP)) {
            log.info("{}: the database is available again after {} ms ({} failed attempts)", subject,
                    (System.nanoTime() - since) / 1_000_000, failures.getAndSet(0));
        }
    }
}
