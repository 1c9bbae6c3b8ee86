package io.tributary.sync;

import io.tributary.common.TributaryMetrics;
import io.tributary.database.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sync runs: one row per object of a sync, with its counts, status and scrubbed error. */
@Repository
public class SyncRunRepository {

    /** Every status a run can have: queued and running, then how it ended. */
    public static final List<String> STATUSES =
            List.of("queued", "running", "succeeded", "partial", "failed", "skipped", "interrupted");

    // Every change of a run's state is logged here, the one place it happens (errors are scrubbed already).
    private static final Logger LOG = LoggerFactory.getLogger(SyncRunRepository.class);
    /** A run's duration as it ends now (SQL): from its start, or zero when it never started. */
    static final String DURATION_MS = "(EXTRACT(EPOCH FROM now() - coalesce(started_at, now())) * 1000)::bigint";
    private static final String COLUMNS = """
            id, integration_id, provider, object_type, trigger, status, fetched, ingested, failed, skipped,
            queued_at, started_at, finished_at, duration_ms, error, batch_count""";

    private static final String FINISHED = " RETURNING provider, object_type, status, duration_ms";

    private final JdbcClient jdbc;
    private final TributaryMetrics metrics;

    public SyncRunRepository(JdbcClient jdbc, TributaryMetrics metrics) {
        this.jdbc = jdbc;
        this.metrics = metrics;
    }

    /** A run as the API shows it. */
    public record Run(UUID id, UUID integrationId, String provider, String objectType, String trigger, String status,
                      long fetched, long ingested, long failed, long skipped, Instant queuedAt, Instant startedAt,
                      Instant finishedAt, Long durationMs, String error, int batchCount) {
    }

    /** Which runs a list shows: always one workspace's, optionally narrowed (null: any). */
    public record Filter(UUID workspaceId, UUID integrationId, String provider, String status, String trigger) {

        public static Filter ofIntegration(UUID workspaceId, UUID integrationId) {
            return new Filter(workspaceId, integrationId, null, null, null);
        }
    }

    /** One committed batch of a run: its place in the run and its counts. */
    public record Batch(int sequence, long fetched, long ingested, long skipped, long failed, Instant committedAt) {
    }

    /** Per object: its latest run and its totals over every run. */
    public record ObjectSummary(Run lastRun, long totalSynced, long totalSkipped) {
    }

    /** Starts a queued run; a run its job's end (a stall, a takeover) ended meanwhile stays as it is. */
    public void start(UUID runId) {
        if (jdbc.sql("UPDATE sync_runs SET status = 'running', started_at = now() WHERE id = ? AND status = 'queued'")
                .param(runId).update() == 0) {
            throw new SyncStoppedException("run " + runId + " ended before it could start");
        }
        LOG.info("Sync run {} started", runId);
    }

    /**
     * Adds a committed batch's counts to its run and records the batch under the next sequence
     * number, in one statement: the run's row lock numbers the batches, and a run's counts are
     * always the sum of its batches. A run no longer running was taken over by another node (this
     * one missed its heartbeats): the batch is not counted here and the job stops before moving its
     * cursor, so two nodes never go on with one sync.
     */
    public void add(UUID runId, SyncCounts counts) {
        int recorded = jdbc.sql("""
                        WITH run AS (
                            UPDATE sync_runs SET fetched = fetched + ?, ingested = ingested + ?, skipped = skipped + ?,
                                   failed = failed + ?, batch_count = batch_count + 1
                            WHERE id = ? AND status = 'running'
                            RETURNING id, batch_count)
                        INSERT INTO sync_run_batches (run_id, sequence, fetched, ingested, skipped, failed)
                        SELECT id, batch_count, ?, ?, ?, ? FROM run""")
                .params(counts.fetched(), counts.ingested(), counts.skipped(), counts.failed(), runId,
                        counts.fetched(), counts.ingested(), counts.skipped(), counts.failed())
                .update();
        if (recorded == 0) {
            throw new SyncStoppedException(SyncCheckpoint.TAKEN_OVER);
        }
    }

    /** Ends a run: partial when some records failed, the error kept for failed and partial runs. */
    public void finish(UUID runId, boolean succeeded, String error) {
        boolean ended = jdbc.sql("""
                        UPDATE sync_runs SET
                            status = CASE WHEN NOT ? THEN 'failed' WHEN failed > 0 THEN 'partial' ELSE 'succeeded' END,
                            error = ?, finished_at = now(), duration_ms = %s
                        WHERE id = ? AND status IN ('queued', 'running')""".formatted(DURATION_MS) + FINISHED)
                .params(succeeded, error, runId).query(this::countFinished).optional().isPresent();
        // A run ended already (by a stall or a takeover) keeps its own end, logged where it happened.
        if (ended && succeeded) {
            LOG.info("Sync run {} finished", runId);
        } else if (ended) {
            LOG.warn("Sync run {} failed: {}", runId, error);
        }
    }

    /** Ends a run that stopped early on purpose (a provider limit): what it did stays, the reason is kept. */
    public void finishPartial(UUID runId, String reason) {
        boolean ended = jdbc.sql("""
                        UPDATE sync_runs SET status = 'partial', error = ?, finished_at = now(), duration_ms = %s
                        WHERE id = ? AND status IN ('queued', 'running')""".formatted(DURATION_MS) + FINISHED)
                .params(reason, runId).query(this::countFinished).optional().isPresent();
        if (ended) {
            LOG.warn("Sync run {} stopped early: {}", runId, reason);
        }
    }

    /** A run that just ended (a run already ended matches no row, so each run is timed once). */
    private boolean countFinished(ResultSet rs, int rowNum) throws SQLException {
        metrics.syncRunFinished(rs.getString("provider"), rs.getString("object_type"), rs.getString("status"),
                Duration.ofMillis(rs.getLong("duration_ms")));
        return true;
    }

    /** A run that never started because the job ended first (an earlier run's permanent error). */
    public void skip(UUID runId, String reason) {
        jdbc.sql("UPDATE sync_runs SET status = 'skipped', error = ?, finished_at = now() WHERE id = ? AND status = 'queued'")
                .params(reason, runId).update();
        LOG.info("Sync run {} skipped: {}", runId, reason);
    }

    public Map<String, ObjectSummary> summaries(UUID integrationId) {
        return jdbc.sql("""
                        SELECT DISTINCT ON (object_type) %s,
                               sum(ingested) OVER (PARTITION BY object_type) AS total_synced,
                               sum(skipped) OVER (PARTITION BY object_type) AS total_skipped
                        FROM sync_runs WHERE integration_id = ?
                        ORDER BY object_type, queued_at DESC, position DESC""".formatted(COLUMNS))
                .param(integrationId)
                .query((rs, n) -> new ObjectSummary(map(rs, n), rs.getLong("total_synced"), rs.getLong("total_skipped")))
                .list().stream()
                .collect(Collectors.toMap(summary -> summary.lastRun().objectType(), summary -> summary));
    }

    /** Runs matching the filter, newest first. */
    public List<Run> page(Filter filter, int page, int size) {
        Where where = where(filter);
        List<Object> params = new ArrayList<>(where.params());
        params.add(size);
        params.add((long) page * size);
        return jdbc.sql("SELECT " + COLUMNS + " FROM sync_runs" + where.sql()
                        + " ORDER BY queued_at DESC, position DESC, id DESC LIMIT ? OFFSET ?")
                .params(params).query(SyncRunRepository::map).list();
    }

    public long count(Filter filter) {
        Where where = where(filter);
        return jdbc.sql("SELECT count(*) FROM sync_runs" + where.sql()).params(where.params())
                .query(Long.class).single();
    }

    public Optional<Run> find(UUID workspaceId, UUID runId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sync_runs WHERE workspace_id = ? AND id = ?")
                .params(workspaceId, runId).query(SyncRunRepository::map).optional();
    }

    /**
     * Up to limit of a run's batches after the given sequence number, in the order they committed:
     * a range of the (run_id, sequence) key, however many batches the run has. Sequences count
     * 1, 2, 3… without gaps (add numbers them by the run's batch_count), so the batches after
     * page * size are that page, and those after batch_count - n are the last n.
     */
    public List<Batch> batches(UUID runId, long afterSequence, int limit) {
        return jdbc.sql("""
                        SELECT sequence, fetched, ingested, skipped, failed, committed_at FROM sync_run_batches
                        WHERE run_id = ? AND sequence > ? ORDER BY sequence LIMIT ?""")
                .params(runId, afterSequence, limit)
                .query((rs, n) -> new Batch(rs.getInt("sequence"), rs.getLong("fetched"), rs.getLong("ingested"),
                        rs.getLong("skipped"), rs.getLong("failed"), Rows.instant(rs, "committed_at")))
                .list();
    }

    /** The latest finished run of each object of these integrations (what their health is judged by). */
    public List<Run> latestFinished(Collection<UUID> integrationIds) {
        if (integrationIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        SELECT r.* FROM sync_object_last_runs l JOIN sync_runs r ON r.id = l.run_id
                        WHERE l.integration_id = ANY(CAST(? AS uuid[]))""")
                .param(integrationIds.stream().map(UUID::toString).toArray(String[]::new))
                .query(SyncRunRepository::map).list();
    }

    /** Across workspaces: connected integrations' objects whose latest finished run failed. */
    public List<Run> failedLatestOfConnected() {
        return jdbc.sql("""
                        SELECT r.* FROM sync_object_last_runs l JOIN sync_runs r ON r.id = l.run_id
                        JOIN integrations i ON i.id = l.integration_id
                        WHERE r.status = 'failed' AND i.status = 'connected'
                        ORDER BY r.finished_at DESC""")
                .query(SyncRunRepository::map).list();
    }

    private record Where(String sql, List<Object> params) {
    }

    /** The one WHERE clause of every run list: always the workspace, then each filter given. */
    private static Where where(Filter filter) {
        StringBuilder sql = new StringBuilder(" WHERE workspace_id = ?");
        List<Object> params = new ArrayList<>(List.of(filter.workspaceId()));
        Map<String, Object> optional = new LinkedHashMap<>();
        optional.put("integration_id", filter.integrationId());
        optional.put("provider", filter.provider());
        optional.put("status", filter.status());
        optional.put("trigger", filter.trigger());
        optional.forEach((column, value) -> {
            if (value != null) {
                sql.append(" AND ").append(column).append(" = ?");
                params.add(value);
            }
        });
        return new Where(sql.toString(), params);
    }

    private static Run map(ResultSet rs, int rowNum) throws SQLException {
        Long durationMs = rs.getObject("duration_ms") == null ? null : rs.getLong("duration_ms");
        return new Run(rs.getObject("id", UUID.class), rs.getObject("integration_id", UUID.class),
                rs.getString("provider"), rs.getString("object_type"), rs.getString("trigger"), rs.getString("status"),
                rs.getLong("fetched"), rs.getLong("ingested"), rs.getLong("failed"), rs.getLong("skipped"),
                Rows.instant(rs, "queued_at"), Rows.instant(rs, "started_at"), Rows.instant(rs, "finished_at"),
                durationMs, rs.getString("error"), rs.getInt("batch_count"));
    }
}
