package io.tributary.sync;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Where a sync runner may stop: after a batch and its cursor have committed. A job stops there when
 * this node is shutting down, or when another node has interrupted it (it missed its heartbeats).
 */
@Component
public class SyncCheckpoint {

    static final String SHUT_DOWN = "the node running this sync was shut down before it finished; "
            + "it resumes from the committed cursor";
    static final String TAKEN_OVER = "another node interrupted this sync: its heartbeats stopped arriving";

    private volatile boolean nodeStopping;
    private final Set<UUID> takenOver = ConcurrentHashMap.newKeySet();

    /** Called by runners between batches; throws SyncStoppedException when the job must end here. */
    public void reached(SyncJob job) {
        if (nodeStopping) {
            throw new SyncStoppedException(SHUT_DOWN);
        }
        if (takenOver.contains(job.id())) {
            throw new SyncStoppedException(TAKEN_OVER);
        }
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
    }
}
