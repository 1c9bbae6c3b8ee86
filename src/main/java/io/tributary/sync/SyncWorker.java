package io.tributary.sync;

import io.tributary.common.Durations;
import io.tributary.common.LogContext;
import io.tributary.common.SafeErrors;
import io.tributary.common.TributaryMetrics;
import io.tributary.database.OutageLog;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
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
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This node's share of the sync queue: on every tick of the sync-worker route it keeps its
 * running jobs alive, interrupts jobs whose node died, ends jobs that stalled (no progress for the
 * stall timeout: their worker thread is interrupted), queues resumes of interrupted jobs, and
 * claims queued jobs while it has threads free. When the node stops it claims nothing more, lets
 * each job stop at its next checkpoint (its batch committed) and interrupts what is still running
 * after the shutdown timeout.
 */
@Component
public class SyncWorker implements SmartLifecycle {

    /**
     * Stops with the web server's graceful shutdown: before Camel (DEFAULT_PHASE - 2049), whose
     * ingest route the last batches commit through and whose sync-worker timer keeps heartbeating
     * meanwhile, and before any bean, the connection pool included, is destroyed.
     */
    private static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private static final Logger LOG = LoggerFactory.getLogger(SyncWorker.class);

    private final SyncJobRepository jobs;
    private final SyncRunRepository runs;
    private final Map<String, SyncJobRunner> runners;
    private final SyncCheckpoint checkpoint;
    private final Duration staleAfter;
    private final Duration shutdownTimeout;
    private final Duration stallTimeout;
    private final int maxAttempts;
    private final int threads;
    private final ExecutorService executor;
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();
    /** The thread running each job of this node; guarded by itself, so no interrupt outlives its job. */
    private final Map<UUID, Thread> workerThreads = new HashMap<>();
    private final TributaryMetrics metrics;
    /** Claiming and the start of a shutdown exclude each other, so no job is claimed into a closed executor. */
    private final Object claiming = new Object();
    private final String node;
    private final OutageLog outage = new OutageLog(LOG, "sync-worker");
    private volatile boolean started;

    public SyncWorker(SyncJobRepository jobs, SyncRunRepository runs, List<SyncJobRunner> runners,
                      SyncCheckpoint checkpoint, TributaryMetrics metrics,
                      @Value("${tributary.sync.stale-after}") Duration staleAfter,
                      @Value("${tributary.sync.shutdown-timeout}") Duration shutdownTimeout,
                      @Value("${tributary.sync.stall-timeout}") Duration stallTimeout,
                      @Value("${tributary.sync.max-attempts}") int maxAttempts,
                      @Value("${tributary.sync.worker-threads}") int threads) {
        this.jobs = jobs;
        this.runs = runs;
        this.runners = runners.stream().collect(Collectors.toMap(SyncJobRunner::provider, Function.identity()));
        this.checkpoint = checkpoint;
        this.staleAfter = staleAfter;
        this.shutdownTimeout = shutdownTimeout;
        this.stallTimeout = stallTimeout;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
        this.threads = threads;
        this.executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "sync-worker");
            thread.setDaemon(true);
            return thread;
        });
        this.node = nodeName();
    }

    /** One tick: heartbeat, recover, end stalls, resume, claim. Called by the sync-worker route, also while stopping. */
    public void poll() {
        outage.attempt(this::tick);
    }

    private void tick() {
        // A job that finished while the heartbeat ran is no longer running here: not taken over.
        jobs.heartbeat(checkpoint.sinceProgress(running)).stream().filter(running::contains).forEach(this::lost);
        endStalled();
        int interrupted = jobs.interruptStale(staleAfter);
        if (interrupted > 0) {
            LOG.warn("Interrupted {} sync job(s) whose node stopped heartbeating", interrupted);
        }
        int abandoned = jobs.abandonExhausted(maxAttempts);
        if (abandoned > 0) {
            LOG.warn("Gave up {} sync job(s) interrupted {} times; the next sync starts from their cursors", abandoned,
                    maxAttempts);
        }
        int resumed = jobs.resumeInterrupted(SyncRequests.RESUME);
        if (resumed > 0) {
            LOG.info("Queued the resume of {} interrupted sync job(s)", resumed);
        }
        synchronized (claiming) {
            while (!checkpoint.nodeStopping() && running.size() < threads) {
                Optional<SyncJob> claimed = jobs.claimNext(node);
                if (claimed.isEmpty()) {
                    return;
                }
                SyncJob job = claimed.get();
                checkpoint.begin(job.id());
                running.add(job.id());
                executor.execute(() -> run(job));
            }
        }
    }

    /** Ends the jobs of any node that made no progress for the stall timeout; each is ended by one node only. */
    private void endStalled() {
        String reason = "stalled: no progress for " + Durations.text(stallTimeout)
                + "; it resumes from the committed cursor";
        for (SyncJobRepository.Stalled stalled : jobs.endStalled(stallTimeout, reason)) {
            metrics.syncStalled(stalled.provider());
            try (LogContext ignored = stalled.runId() == null ? null : LogContext.forRun(stalled.runId())) {
                LOG.warn("Sync run {} of job {} ({}) made no progress for {}: ended as failed, its worker interrupted; "
                        + "it resumes from the committed cursor", stalled.runId(), stalled.jobId(), stalled.provider(),
                        Durations.text(stallTimeout));
            }
            if (running.contains(stalled.jobId())) {
                lost(stalled.jobId());
            }
        }
    }

    /**
     * The job was ended elsewhere: it stops at its next checkpoint, and its thread is interrupted so
     * that a call it is blocked in ends now (nothing it still does is counted: its runs are ended).
     */
    private void lost(UUID jobId) {
        checkpoint.takenOver(jobId);
        synchronized (workerThreads) {
            Thread thread = workerThreads.get(jobId);
            if (thread != null) {
                thread.interrupt();
            }
        }
    }

    private void run(SyncJob job) {
        synchronized (workerThreads) {
            workerThreads.put(job.id(), Thread.currentThread());
        }
        // Around the catch blocks too, so that their lines name the integration.
        try (LogContext ignored = LogContext.forIntegration(job.integrationId())) {
            runToTheEnd(job);
        } finally {
            synchronized (workerThreads) {
                workerThreads.remove(job.id());
            }
            // Unregistered first: no interrupt meant for this job can reach the next one on this thread.
            Thread.interrupted();
        }
    }

    private void runToTheEnd(SyncJob job) {
        try {
            runRunner(job);
        } catch (SyncStoppedException e) {
            writeOrLeaveStale(job, () -> {
                if (jobs.interrupt(job.id(), e.getMessage())) {
                    LOG.info("Sync job {} interrupted at a checkpoint: {}", job.id(), e.getMessage());
                }
            });
        } catch (RuntimeException e) {
            // A runner ends its own runs; this only catches what escaped it, so the job never stays running.
            LOG.error("Sync job {} failed: {}", job.id(), SafeErrors.describe(e));
            String error = "internal error: " + SafeErrors.describe(e);
            writeOrLeaveStale(job, () -> job.runs().forEach(run -> runs.finish(run.id(), false, error)));
        } finally {
            // Stop heartbeating it first: if the store cannot take the finish, the job goes stale and
            // is interrupted once the store is back, instead of staying "running" for ever. (The
            // finish also ends any run the runner could not end.)
            checkpoint.forget(job.id());
            running.remove(job.id());
            writeOrLeaveStale(job, () -> jobs.finish(job.id()));
        }
    }

    private void runRunner(SyncJob job) {
        try {
            // Another node may have interrupted it between the claim and now.
            checkpoint.reached(job);
            SyncJobRunner runner = runners.get(job.provider());
            if (runner == null) {
                job.runs().forEach(run -> runs.finish(run.id(), false, "no sync for provider " + job.provider()));
            } else {
                runner.run(job);
            }
        } finally {
            // An interrupt (a stall, a takeover) was there to end a blocked call; recording the end must not fail on it.
            Thread.interrupted();
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
    public void start() {
        started = true;
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void stop() {
        beginStopping();
        drain();
    }

    /** Drains on a thread of its own, so the web server's graceful shutdown in the same phase runs alongside. */
    @Override
    public void stop(Runnable callback) {
        beginStopping();
        Thread drain = new Thread(() -> {
            try {
                drain();
            } finally {
                callback.run();
            }
        }, "sync-worker-stop");
        drain.start();
    }

    private void beginStopping() {
        synchronized (claiming) {
            checkpoint.stopNode();
        }
        executor.shutdown();
        if (!running.isEmpty()) {
            LOG.info("Stopping: {} sync job(s) stop after their current batch (at most {})", running.size(),
                    shutdownTimeout);
        }
    }

    /** Waits for the jobs to reach a checkpoint; interrupts (in the database) those that did not in time. */
    private void drain() {
        try {
            if (!executor.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                int interrupted = 0;
                for (UUID jobId : running) {
                    try {
                        interrupted += jobs.interrupt(jobId, SyncCheckpoint.SHUT_DOWN) ? 1 : 0;
                    } catch (RuntimeException e) {
                        // Another node interrupts it once it is stale.
                        LOG.warn("Sync job {} could not be interrupted: {}", jobId, SafeErrors.describe(e));
                    }
                }
                LOG.warn("Interrupted {} sync job(s) that did not reach a checkpoint within {}", interrupted,
                        shutdownTimeout);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            started = false;
        }
    }

    /** Host, process id and a random part: unique per node, and tells an operator which process holds a job. */
    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "node";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
