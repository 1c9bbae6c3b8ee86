package io.tributary.support;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Sync runs written straight into the store: a run with as many batches as a test needs, without syncing them. */
public final class SyncRunRows {

    private SyncRunRows() {
    }

    /**
     * A succeeded run of the integration with batches 1 to count, as the sync numbers them, batch n
     * having fetched and ingested n records (so a test can tell them apart); the run's id.
     */
    public static UUID withBatches(JdbcClient jdbc, String integrationId, int count) {
        UUID runId = UUID.randomUUID();
        long records = (long) count * (count + 1) / 2;
        jdbc.sql("""
                        INSERT INTO sync_runs (id, workspace_id, integration_id, provider, object_type, trigger, status,
                                               fetched, ingested, batch_count, started_at, finished_at, duration_ms)
                        SELECT ?, workspace_id, id, provider, 'companies', 'manual', 'succeeded', ?, ?, ?,
                               now() - interval '1 hour', now(), 3600000
                        FROM integrations WHERE id = ?""")
                .params(runId, records, records, count, UUID.fromString(integrationId)).update();
        jdbc.sql("""
                        INSERT INTO sync_run_batches (run_id, sequence, fetched, ingested, skipped, failed, committed_at)
                        SELECT ?, n, n, n, 0, 0, now() - (? - n) * interval '1 second' FROM generate_series(1, ?) n""")
                .params(runId, count, count).update();
        return runId;
    }
}
