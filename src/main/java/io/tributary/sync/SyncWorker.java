package io.tributary.sync;

import io.tributary.common.LogContext;
import io.tributary.common.SafeErrors;
import io.tributary.database.OutageLog;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * This node's share of the sync queue: on every tick of the sync-worker route it keeps its
 * running jobs alive, interrupts jobs whose node died, and claims queued jobs while it has threads free.
 */
@Component
public class SyncWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncWorker.class);

    private final SyncJobRepository jobs;
    private final SyncRunRepository runs;
    private final Map<String, SyncJobRunner> runners;
    private final Duration staleAfter;
    private final int threads;
    private final ExecutorService executor;
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();
    private final String node;
    private final OutageLog outage = new OutageLog(LOG, "sync-worker");

    public SyncWorker(SyncJobRepository jobs, SyncRunRepository runs, List<SyncJobRunner> runners,
                      @Value("${tributary.sync.stale-after}") Duration staleAfter,
                      @Value("${tributary.sync.worker-threads}") int threads) {
        this.jobs = jobs;
        this.runs = runs;
        this.runners = runners.stream().collect(Collectors.toMap(SyncJobRunner::provider, Function.identity()));
        this.staleAfter = staleAfter;
        this.threads = threads;
        this.executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "sync-worker");
            thread.setDaemon(true);
            return thread;
        });
        this.node = nodeName();
    }

    /** One tick: heartbeat, recover, claim. Called by the sync-worker route. */
    public void poll() {
        outage.attempt(this::tick);
    }

    private void tick() {
        jobs.heartbeat(running);
        int interrupted = jobs.interruptStale(staleAfter);
        if (interrupted > 0) {
            LOG.warn("Interrupted {} sync job(s) whose node stopped heartbeating", interrupted);
        }
        while (running.size() < threads) {
            Optional<SyncJob> claimed = jobs.claimNext(node);
            if (claimed.isEmpty()) {
                return;
            }
            SyncJob job = claimed.get();
            running.add(job.id());
            executor.execute(() -> run(job));
        }
    }

    private void run(SyncJob job) {
        try (LogContext ignored = LogContext.forIntegration(job.integrationId())) {
            SyncJobRunner runner = runners.get(job.provider());
            if (runner == null) {
                job.runs().forEach(run -> runs.finish(run.id(), false, "no sync for provider " + job.provider()));
            } else {
                runner.run(job);
            }
        } catch (RuntimeException e) {
            // A runner ends its own runs; this only catches what escaped it, so the job never stays running.
            LOG.error("Sync job {} failed: {}", job.id(), SafeErrors.describe(e));
            String error = "internal error: " + SafeErrors.describe(e);
            writeOrLeaveStale(job, () -> job.runs().forEach(run -> runs.finish(run.id(), false, error)));
        } finally {
            // Stop heartbeating it first: if the store cannot take the finish, the job goes stale and
            // is interrupted once the store is back, instead of staying "running" for ever.
            running.remove(job.id());
            writeOrLeaveStale(job, () -> jobs.finish(job.id()));
        }
    }

    /** A write the store cannot take now is left to stale-job recovery, which interrupts the job and its runs. */
    private static void writeOrLeaveStale(SyncJob job, Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.warn("Sync job {} could not be updated ({}); it is interrupted once it is stale", job.id(),
                    SafeErrors.describe(e));
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "node";
        }
        return host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
