package io.tributary.common;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Fetches a provider's next page on a thread of its own while the caller writes the current one, so
 * the network and the store work side by side. The caller's log context goes along, so the fetch's
 * log lines name the same integration and run.
 */
@Component
public class Prefetcher implements AutoCloseable {

    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "page-prefetch");
        thread.setDaemon(true);
        return thread;
    });

    public <T> CompletableFuture<T> fetch(Supplier<T> page) {
        return CompletableFuture.supplyAsync(LogContext.propagate(page), threads);
    }

    /**
     * The page, or the fetch's own failure (an API exception, a ReauthRequiredException) as it was
     * thrown. The fetch is bounded by its calls' deadlines; an interrupt of the waiting thread (the
     * sync was ended) stops the wait at once.
     */
    public static <T> T await(CompletableFuture<T> pending) {
        try {
            return pending.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedWaitException();
        }
    }

    /** The thread waiting for a page was interrupted: its sync was ended while it waited. */
    public static final class InterruptedWaitException extends RuntimeException {
        InterruptedWaitException() {
            super("interrupted while waiting for the next page");
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
