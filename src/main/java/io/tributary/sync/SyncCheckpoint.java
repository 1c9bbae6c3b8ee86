package io.tributary.sync;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Where a sync runner may stop: after a batch and its cursor have committed. A job stops there when
 * this node is shutting down, or when its job was ended elsewhere (another node interrupted it after
 * missed heartbeats, or the stall watchdog ended it). Runners also report progress here — a page a
 * provider answered, a batch committed — which the heartbeat hands to the stall watchdog.
 */
@Component
public class SyncCheckpoint {

    static final String SHUT_DOWN = "the node running this sync was shut down before it finished; "
            + "it resumes from the committed cursor";
    static final String TAKEN_OVER = "this sync was ended elsewhere (its heartbeats stopped arriving, or it stalled)";

    private volatile boolean nodeStopping;
    private final Set<UUID> takenOver = ConcurrentHashMap.newKeySet();
    /** System.nanoTime() of each running job's last progress on this node. */
    private final Map<UUID, Long> progressAt = new ConcurrentHashMap<>();

    /** Called by runners between batches; throws SyncStoppedException when the job must end here. */
    public void reached(SyncJob job) {
        if (nodeStopping) {
            throw new SyncStoppedException(SHUT_DOWN);
        }
        if (takenOver.contains(job.id())) {
            throw new SyncStoppedException(TAKEN_OVER);
        }
        progressed(job);
    }

    /** The job made progress: a provider answered one of its pages, or one of its batches committed. */
    public void progressed(SyncJob job) {
        progressAt.computeIfPresent(job.id(), (id, previous) -> System.nanoTime());
    }

    void begin(UUID jobId) {
        progressAt.put(jobId, System.nanoTime());
    }

    /** How long ago each of these jobs last made progress. */
    Map<UUID, Duration> sinceProgress(Collection<UUID> jobIds) {
        long now = System.nanoTime();
        Map<UUID, Duration> since = new LinkedHashMap<>();
        for (UUID jobId : jobIds) {
            since.put(jobId, Duration.ofNanos(now - progressAt.getOrDefault(jobId, now)));
        }
        return since;
    }

    void stopNode() {
        nodeStopping = true;
    }

    boolean nodeStopping() {
        return nodeStopping;
    }

    void takenOver(UUID jobId) {
        takenOver.add(jobId);
    }

    void forget(UUID jobId) {
        takenOver.remove(jobId);
        progressAt.remove(jobId);
    }
}
