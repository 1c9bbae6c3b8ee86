package io.tributary.sync;

import io.tributary.database.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sync runs: one row per object of a sync, with its counts, status and scrubbed error. */
@Repository
public class SyncRunRepository {

    // Every change of a run's state is logged here, the one place it happens (errors are scrubbed already).
    private static final Logger LOG = LoggerFactory.getLogger(SyncRunRepository.class);
    private static final String COLUMNS = """
            id, integration_id, provider, object_type, trigger, status, fetched, ingested, failed, skipped,
            queued_at, started_at, finished_at, duration_ms, error""";

    private final JdbcClient jdbc;

    public SyncRunRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A run as the API shows it. */
    public record Run(UUID id, UUID integrationId, String provider, String objectType, String trigger, String status,
                      long fetched, long ingested, long failed, long skipped, Instant queuedAt, Instant startedAt,
                      Instant finishedAt, Long durationMs, String error) {
    }

    /** Per object: its latest run and its totals over every run. */
    public record ObjectSummary(Run lastRun, long totalSynced, long totalSkipped) {
    }

    public void start(UUID runId) {
        jdbc.sql("UPDATE sync_runs SET status = 'running', started_at = now() WHERE id = ?").param(runId).update();
        LOG.info("Sync run {} started", runId);
    }

    public void add(UUID runId, SyncCounts counts) {
        jdbc.sql("""
                        UPDATE sync_runs SET fetched = fetched + ?, ingested = ingested + ?, skipped = skipped + ?,
                               failed = failed + ?
                        WHERE id = ?""")
                .params(counts.fetched(), counts.ingested(), counts.skipped(), counts.failed(), runId).update();
    }

    /** Ends a run: partial when some records failed, the error kept for failed and partial runs. */
    public void finish(UUID runId, boolean succeeded, String error) {
        jdbc.sql("""
                        UPDATE sync_runs SET
                            status = CASE WHEN NOT ? THEN 'failed' WHEN failed > 0 THEN 'partial' ELSE 'succeeded' END,
                            error = ?, finished_at = now(),
                            duration_ms = (EXTRACT(EPOCH FROM now() - coalesce(started_at, now())) * 1000)::bigint
                        WHERE id = ? AND status IN ('queued', 'running')""")
                .params(succeeded, error, runId).update();
        if (succeeded) {
            LOG.info("Sync run {} finished", runId);
        } else {
            LOG.warn("Sync run {} failed: {}", runId, error);
        }
    }

    /** Ends a run that stopped early on purpose (a provider limit): what it did stays, the reason is kept. */
    public void finishPartial(UUID runId, String reason) {
        jdbc.sql("""
                        UPDATE sync_runs SET status = 'partial', error = ?, finished_at = now(),
                            duration_ms = (EXTRACT(EPOCH FROM now() - coalesce(started_at, now())) * 1000)::bigint
                        WHERE id = ? AND status IN ('queued', 'running')""")
                .params(reason, runId).update();
        LOG.warn("Sync run {} stopped early: {}", runId, reason);
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

    public List<Run> page(UUID integrationId, int page, int size) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sync_runs WHERE integration_id = ?"
                        + " ORDER BY queued_at DESC, position DESC LIMIT ? OFFSET ?")
                .params(integrationId, size, (long) page * size).query(SyncRunRepository::map).list();
    }

    public long count(UUID integrationId) {
        return jdbc.sql("SELECT count(*) FROM sync_runs WHERE integration_id = ?").param(integrationId)
                .query(Long.class).single();
    }

    public Run find(UUID runId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM sync_runs WHERE id = ?").param(runId)
                .query(SyncRunRepository::map).single();
    }

    private static Run map(ResultSet rs, int rowNum) throws SQLException {
        Long durationMs = rs.getObject("duration_ms") == null ? null : rs.getLong("duration_ms");
        return new Run(rs.getObject("id", UUID.class), rs.getObject("integration_id", UUID.class),
                rs.getString("provider"), rs.getString("object_type"), rs.getString("trigger"), rs.getString("status"),
                rs.getLong("fetched"), rs.getLong("ingested"), rs.getLong("failed"), rs.getLong("skipped"),
                Rows.instant(rs, "queued_at"), Rows.instant(rs, "started_at"), Rows.instant(rs, "finished_at"),
                durationMs, rs.getString("error"));
    }
}
