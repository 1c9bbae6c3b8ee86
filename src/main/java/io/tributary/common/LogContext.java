package io.tributary.common;

import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Puts an id into the logging context (MDC) for a block of work, so that every log line of that
 * work names it: {@code try (LogContext ignored = LogContext.forRun(runId)) { ... }}. Closing puts
 * back whatever was there before, so contexts nest (a job's integration, then each of its runs).
 */
public final class LogContext implements AutoCloseable {

    public static final String INTEGRATION_ID = "integration_id";
    public static final String SYNC_RUN_ID = "sync_run_id";

    private final String key;
    private final String previous;

    private LogContext(String key, String value) {
        this.key = key;
        this.previous = MDC.get(key);
        MDC.put(key, value);
    }

    public static LogContext forIntegration(UUID integrationId) {
        return new LogContext(INTEGRATION_ID, String.valueOf(integrationId));
    }

    public static LogContext forRun(UUID runId) {
        return new LogContext(SYNC_RUN_ID, String.valueOf(runId));
    }

    /** The task with the caller's logging context, for work handed to another thread. */
    public static <T> Supplier<T> propagate(Supplier<T> task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> own = MDC.getCopyOfContextMap();
            setContext(context);
            try {
                return task.get();
            } finally {
                setContext(own);
            }
        };
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    private static void setContext(Map<String, String> context) {
        if (context == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }
}
