package io.tributary.sync;

/** Runs the claimed jobs of one provider. Each run of the job must end finished, failed or skipped. */
public interface SyncJobRunner {

    String provider();

    void run(SyncJob job);
}
