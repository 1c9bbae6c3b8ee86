package io.tributary.sync;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The sync queue. A job is queued by a request or a schedule, claimed by one node's worker, kept
 * alive by heartbeats, and finished. At most one queued or running job per (integration, lane), enforced
 * by a partial unique index, so "already syncing" holds across every node.
 */
@Repository
public class SyncJobRepository {

    private final JdbcClient jdbc;

    public SyncJobRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Queues a job with one queued run per object, in order. Empty when the integration already
     * has a queued or running job in that lane. scheduledFor: the fire time of a scheduled job, else null.
     */
    @Transactional
    public Optional<SyncJob> enqueue(UUID workspaceId, UUID integrationId, String provider, String lane,
                                     String trigger, String optionsJson, List<String> objectTypes,
                                     Instant scheduledFor) {
        UUID jobId = UUID.randomUUID();
        int inserted = jdbc.sql("""
                        INSERT INTO sync_jobs (id, workspace_id, integration_id, provider, lane, trigger, options,
                                               scheduled_for)
                        VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                        ON CONFLICT (integration_id, lane) WHERE status IN ('queued', 'running') DO NOTHING""")
                .params(jobId, workspaceId, integrationId, provider, lane, trigger, optionsJson,
                        scheduledFor == null ? null : Timestamp.from(scheduledFor))
                .update();
        if (inserted == 0) {
            return Optional.empty();
        }
        List<SyncJob.SyncRun> runs = new ArrayList<>();
        for (int position = 0; position < objectTypes.size(); position++) {
            UUID runId = UUID.randomUUID();
            jdbc.sql("""
                            INSERT INTO sync_runs (id, job_id, workspace_id, integration_id, provider, object_type, trigger,
                                                   status, position)
                            VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?)""")
                    .params(runId, jobId, workspaceId, integrationId, provider, objectTypes.get(position), trigger,
                            position)
                    .update();
            runs.add(new SyncJob.SyncRun(runId, objectTypes.get(position)));
        }
        return Optional.of(new SyncJob(jobId, workspaceId, integrationId, provider, trigger, optionsJson, runs));
    }

    /** Claims the oldest queued job for this node; SKIP LOCKED lets nodes claim side by side. */
    @Transactional
    public Optional<SyncJob> claimNext(String node) {
        Optional<SyncJob> job = jdbc.sql("""
                        UPDATE sync_jobs SET status = 'running', claimed_by = ?, heartbeat_at = now(),
                                             last_progress_at = now()
                        WHERE id = (SELECT id FROM sync_jobs WHERE status = 'queued' ORDER BY created_at
                                    FOR UPDATE SKIP LOCKED LIMIT 1)
                        RETURNING id, workspace_id, integration_id, provider, trigger, options::text AS options""")
                .param(node)
                .query((rs, n) -> new SyncJob(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
                        rs.getObject("integration_id", UUID.class), rs.getString("provider"), rs.getString("trigger"),
                        rs.getString("options"), List.of()))
                .optional();
        return job.map(claimed -> new SyncJob(claimed.id(), claimed.workspaceId(), claimed.integrationId(),
                claimed.provider(), claimed.trigger(), claimed.optionsJson(), jdbc.sql("""
                                SELECT id, object_type FROM sync_runs WHERE job_id = ? AND status = 'queued'
                                ORDER BY position""")
                        .param(claimed.id())
                        .query((rs, n) -> new SyncJob.SyncRun(rs.getObject("id", UUID.class), rs.getString("object_type")))
                        .list()));
    }

    /**
     * Keeps this node's jobs alive, each with how long ago it last made progress (measured on this
     * node, so its clock never matters); returns those another node has ended meanwhile.
     */
    public List<UUID> heartbeat(Map<UUID, Duration> sinceProgress) {
        List<UUID> lost = new ArrayList<>();
        sinceProgress.forEach((jobId, since) -> {
            if (jdbc.sql("""
                            UPDATE sync_jobs SET heartbeat_at = now(),
                                   last_progress_at = greatest(last_progress_at, now() - ?::interval)
                            WHERE id = ? AND status = 'running'""")
                    .params(since.toMillis() + " milliseconds", jobId).update() == 0) {
                lost.add(jobId);
            }
        });
        return lost;
    }

    /** A job ended because it made no progress: its provider and the run that was running, if any. */
    public record Stalled(UUID jobId, String provider, UUID runId) {
    }

    /**
     * Ends running jobs that made no progress for stallTimeout though their node still heartbeats
     * (a call that never returns, a step that blocks): the running run fails with the reason, the
     * rest are interrupted, and the job is interrupted so that resumeInterrupted queues its resume.
     * The update claims each job once, so of all nodes exactly one ends it.
     */
    @Transactional
    public List<Stalled> endStalled(Duration stallTimeout, String reason) {
        List<Stalled> stalled = new ArrayList<>();
        List<Map.Entry<UUID, String>> jobs = jdbc.sql("""
                        UPDATE sync_jobs SET status = 'interrupted', finished_at = now()
                        WHERE status = 'running' AND last_progress_at < now() - ?::interval
                        RETURNING id, provider""")
                .param(stallTimeout.toMillis() + " milliseconds")
                .query((rs, n) -> Map.entry(rs.getObject("id", UUID.class), rs.getString("provider"))).list();
        for (Map.Entry<UUID, String> job : jobs) {
            UUID runId = jdbc.sql("""
                            UPDATE sync_runs SET status = 'failed', finished_at = now(), error = ?, duration_ms = %s
                            WHERE job_id = ? AND status = 'running' RETURNING id""".formatted(SyncRunRepository.DURATION_MS))
                    .params(reason, job.getKey()).query(UUID.class).optional().orElse(null);
            endUnfinishedRuns(job.getKey(), "interrupted", "not run: the sync stalled before this run; it resumes");
            stalled.add(new Stalled(job.getKey(), job.getValue(), runId));
        }
        return stalled;
    }

    /**
     * Ends a running job, and with it any of its runs its runner could not end (the store failed
     * then), so no run stays running or queued; a job interrupted meanwhile stays interrupted.
     */
    @Transactional
    public void finish(UUID jobId) {
        if (jdbc.sql("UPDATE sync_jobs SET status = 'finished', finished_at = now() WHERE id = ? AND status = 'running'")
                .param(jobId).update() > 0) {
            endUnfinishedRuns(jobId, "failed", "the sync ended before this run could");
        }
    }

    /**
     * Ends jobs whose node stopped heartbeating (it crashed or was killed): the job and its
     * unfinished runs become interrupted, and resumeInterrupted queues their resume.
     */
    @Transactional
    public int interruptStale(Duration staleAfter) {
        List<UUID> stale = jdbc.sql("""
                        UPDATE sync_jobs SET status = 'interrupted', finished_at = now()
                        WHERE status = 'running' AND heartbeat_at < now() - ?::interval
                        RETURNING id""")
                .param(staleAfter.toMillis() + " milliseconds").query(UUID.class).list();
        stale.forEach(jobId -> endUnfinishedRuns(jobId, "interrupted",
                "the node running this sync stopped before it finished; it resumes from the committed cursor"));
        return stale.size();
    }

    /** Ends a running job of this node early (it is shutting down); false when it was no longer running. */
    @Transactional
    public boolean interrupt(UUID jobId, String reason) {
        boolean interrupted = jdbc.sql("""
                        UPDATE sync_jobs SET status = 'interrupted', finished_at = now()
                        WHERE id = ? AND status = 'running'""")
                .param(jobId).update() > 0;
        if (interrupted) {
            endUnfinishedRuns(jobId, "interrupted", reason);
        }
        return interrupted;
    }

    private void endUnfinishedRuns(UUID jobId, String status, String reason) {
        jdbc.sql("""
                        UPDATE sync_runs SET status = ?, finished_at = now(), error = ?, duration_ms = %s
                        WHERE job_id = ? AND status IN ('queued', 'running')""".formatted(SyncRunRepository.DURATION_MS))
                .params(status, reason, jobId).update();
    }

    /**
     * Queues a resume of every interrupted job that nothing came after in its lane (while its
     * integration is connected): the same objects and options, trigger resume. Every run is queued
     * again, the finished ones too: a full HubSpot sync's later objects start from the ids its
     * earlier ones found, and an incremental one re-reads only from its cursor. Every node calls
     * this; the unique index on resumes lets one resume per interrupted job through. Returns how
     * many were resumed.
     */
    @Transactional
    public int resumeInterrupted(String trigger) {
        List<UUID> interrupted = jdbc.sql("""
                        SELECT j.id FROM sync_jobs j JOIN integrations i ON i.id = j.integration_id
                        WHERE j.status = 'interrupted' AND i.status = 'connected'
                          AND NOT EXISTS (SELECT 1 FROM sync_jobs later
                                          WHERE later.integration_id = j.integration_id AND later.lane = j.lane
                                            AND later.created_at > j.created_at)
                        ORDER BY j.created_at""")
                .query(UUID.class).list();
        int resumed = 0;
        for (UUID jobId : interrupted) {
            UUID resumeId = UUID.randomUUID();
            // DO NOTHING on either unique index: already resumed, or the lane got busy meanwhile.
            int inserted = jdbc.sql("""
                            INSERT INTO sync_jobs (id, workspace_id, integration_id, provider, lane, trigger, options,
                                                   resumes, progress_since, attempt)
                            SELECT ?, workspace_id, integration_id, provider, lane, ?, options, id,
                                   coalesce(progress_since, created_at), attempt + 1
                            FROM sync_jobs WHERE id = ?
                            ON CONFLICT DO NOTHING""")
                    .params(resumeId, trigger, jobId).update();
            if (inserted > 0) {
                jdbc.sql("""
                                INSERT INTO sync_runs (id, job_id, workspace_id, integration_id, provider, object_type,
                                                       trigger, status, position)
                                SELECT gen_random_uuid(), ?, workspace_id, integration_id, provider, object_type, ?,
                                       'queued', position
                                FROM sync_runs WHERE job_id = ?""")
                        .params(resumeId, trigger, jobId).update();
                jdbc.sql("UPDATE sync_jobs SET status = 'resumed' WHERE id = ?").param(jobId).update();
                resumed++;
            }
        }
        return resumed;
    }

    /**
     * Gives up syncs interrupted maxAttempts times (they may be what stops their nodes): they are
     * not resumed again; the next sync of their lane starts from their committed cursors. Returns how many.
     */
    public int abandonExhausted(int maxAttempts) {
        return jdbc.sql("UPDATE sync_jobs SET status = 'abandoned' WHERE status = 'interrupted' AND attempt >= ?")
                .param(maxAttempts).update();
    }

    /** Cancels what an integration still has queued (it was disconnected or paused). */
    @Transactional
    public void cancelQueued(UUID integrationId, String reason) {
        jdbc.sql("UPDATE sync_runs SET status = 'failed', error = ?, finished_at = now() WHERE integration_id = ? AND status = 'queued'")
                .params(reason, integrationId).update();
        jdbc.sql("UPDATE sync_jobs SET status = 'finished', finished_at = now() WHERE integration_id = ? AND status = 'queued'")
                .param(integrationId).update();
    }
}
