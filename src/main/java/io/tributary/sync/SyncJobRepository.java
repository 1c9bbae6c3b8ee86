package io.tributary.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
     * has a queued or running job in that lane.
     */
    @Transactional
    public Optional<SyncJob> enqueue(UUID workspaceId, UUID integrationId, String provider, String lane,
                                     String trigger, String optionsJson, List<String> objectTypes) {
        UUID jobId = UUID.randomUUID();
        int inserted = jdbc.sql("""
                        INSERT INTO sync_jobs (id, workspace_id, integration_id, provider, lane, trigger, options)
                        VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)
                        ON CONFLICT (integration_id, lane) WHERE status IN ('queued', 'running') DO NOTHING""")
                .params(jobId, workspaceId, integrationId, provider, lane, trigger, optionsJson).update();
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
                        UPDATE sync_jobs SET status = 'running', claimed_by = ?, heartbeat_at = now()
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

    public void heartbeat(Collection<UUID> jobIds) {
        for (UUID jobId : jobIds) {
            jdbc.sql("UPDATE sync_jobs SET heartbeat_at = now() WHERE id = ? AND status = 'running'").param(jobId).update();
        }
    }

    public void finish(UUID jobId) {
        jdbc.sql("UPDATE sync_jobs SET status = 'finished', finished_at = now() WHERE id = ?").param(jobId).update();
    }

    /**
     * Ends jobs whose node stopped heartbeating (it crashed or was killed): the job and its
     * unfinished runs become interrupted. The next sync resumes from the committed cursors.
     */
    @Transactional
    public int interruptStale(Duration staleAfter) {
        List<UUID> stale = jdbc.sql("""
                        UPDATE sync_jobs SET status = 'interrupted', finished_at = now()
                        WHERE status = 'running' AND heartbeat_at < now() - ?::interval
                        RETURNING id""")
                .param(staleAfter.toMillis() + " milliseconds").query(UUID.class).list();
        for (UUID jobId : stale) {
            jdbc.sql("""
                            UPDATE sync_runs SET status = 'interrupted', finished_at = now(),
                                   error = 'the node running this sync stopped before it finished'
                            WHERE job_id = ? AND status IN ('queued', 'running')""")
                    .param(jobId).update();
        }
        return stale.size();
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
