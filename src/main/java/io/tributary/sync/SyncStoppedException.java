package io.tributary.sync;

/**
 * Thrown at a checkpoint to end a job between batches: everything before it is committed, and a
 * resume goes on from the committed cursors. Runners let it pass; the worker interrupts the job.
 */
public class SyncStoppedException extends RuntimeException {

    public SyncStoppedException(String reason) {
        super(reason, null, false, false);
    }
}
