package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.SyncStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How a sync job ends when things go wrong: an interrupted job is resumed once however many nodes
 * look at once, only when nothing came after, and not for ever; a job never leaves a run running;
 * a node whose job was taken over stops writing to it; a stalled job is ended by one node only.
 */
class SyncResumeIT extends AppTest {

    private static final String OPTIONS = "{\"mode\": \"incremental\", \"backfill\": \"30d\", \"objects\": [\"companies\", \"deals\"]}";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    SyncJobRepository jobs;

    @Autowired
    SyncRunRepository runs;

    @Test
    void anInterruptedJobIsResumedOnceHoweverManyNodesLookAtOnce() throws Exception {
        Api api = newWorkspace();
        String integrationId = HubSpotConnections.connect(api, HUBSPOT, HUBSPOT.portal(9301, "resume-once.hubspot.com"),
                "Resume once");
        UUID integration = UUID.fromString(integrationId);
        UUID interrupted = transaction.execute(status -> {
            UUID job = insertJob(integration, "interrupted", "now()");
            insertRun(job, integration, "companies", 0);
            insertRun(job, integration, "deals", 1);
            return job;
        });

        // Eight "nodes" sweep at the same moment (the app's own worker is a ninth).
        ExecutorService nodes = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> sweeps = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                sweeps.add(nodes.submit(() -> {
                    go.await();
                    return jobs.resumeInterrupted(SyncRequests.RESUME);
                }));
            }
            go.countDown();
            for (Future<Integer> sweep : sweeps) {
                sweep.get();
            }
        } finally {
            nodes.shutdownNow();
        }

        Map<String, Object> resume = jdbc.sql("""
                        SELECT id, trigger, lane, options = ?::jsonb AS same_options, progress_since = (
                                   SELECT created_at FROM sync_jobs WHERE id = ?) AS since_original
                        FROM sync_jobs WHERE resumes = ?""")
                .params(OPTIONS, interrupted, interrupted).query().singleRow();
        assertThat(resume.get("trigger")).isEqualTo("resume");
        assertThat(resume.get("lane")).isEqualTo("all");
        assertThat(resume.get("same_options")).isEqualTo(true);
        assertThat(resume.get("since_original")).isEqualTo(true);
        assertThat(jdbc.sql("SELECT object_type FROM sync_runs WHERE job_id = ? AND trigger = 'resume' ORDER BY position")
                .param(resume.get("id")).query(String.class).list()).containsExactly("companies", "deals");
        assertThat(jdbc.sql("SELECT count(*) FROM sync_jobs WHERE integration_id = ? AND trigger = 'resume'")
                .param(integration).query(Long.class).single()).isEqualTo(1);

        // The resume runs like any job.
        assertThat(SyncStatus.awaitIdle(api, integrationId).at("/objects/companies/status").asText())
                .isEqualTo("succeeded");
    }

    @Test
    void anInterruptedJobWithALaterOneInItsLaneIsNotResumed() {
        Api api = newWorkspace();
        String integrationId = HubSpotConnections.connect(api, HUBSPOT, HUBSPOT.portal(9302, "resume-not.hubspot.com"),
                "Resume not");
        UUID integration = UUID.fromString(integrationId);
        UUID interrupted = transaction.execute(status -> {
            insertJob(integration, "finished", "now()");
            return insertJob(integration, "interrupted", "now() - interval '1 minute'");
        });

        jobs.resumeInterrupted(SyncRequests.RESUME);

        assertThat(jdbc.sql("SELECT count(*) FROM sync_jobs WHERE resumes = ?").param(interrupted)
                .query(Long.class).single()).isZero();
    }

    @Test
    void aJobInterruptedAsOftenAsAllowedIsGivenUpNotResumed() {
        Api api = newWorkspace();
        String integrationId = HubSpotConnections.connect(api, HUBSPOT, HUBSPOT.portal(9303, "resume-cap.hubspot.com"),
                "Resume cap");
        UUID integration = UUID.fromString(integrationId);
        UUID exhausted = transaction.execute(status -> {
            UUID job = insertJob(integration, "interrupted", "now()");
            jdbc.sql("UPDATE sync_jobs SET attempt = 3 WHERE id = ?").param(job).update();
            return job;
        });

        jobs.abandonExhausted(3);
        jobs.resumeInterrupted(SyncRequests.RESUME);

        assertThat(jdbc.sql("SELECT status FROM sync_jobs WHERE id = ?").param(exhausted).query(String.class).single())
                .isEqualTo("abandoned");
        assertThat(jdbc.sql("SELECT count(*) FROM sync_jobs WHERE resumes = ?").param(exhausted)
                .query(Long.class).single()).isZero();
    }

    @Test
    void finishingAJobEndsTheRunsItsRunnerCouldNotEnd() {
        Api api = newWorkspace();
        UUID integration = UUID.fromString(HubSpotConnections.connect(api, HUBSPOT,
                HUBSPOT.portal(9304, "finish-runs.hubspot.com"), "Finish runs"));
        UUID job = transaction.execute(status -> {
            UUID running = insertJob(integration, "running", "now()");
            insertRun(running, integration, "companies", 0);
            jdbc.sql("UPDATE sync_runs SET status = 'running', started_at = now() WHERE job_id = ?").param(running)
                    .update();
            return running;
        });

        jobs.finish(job);

        assertThat(jdbc.sql("SELECT status FROM sync_jobs WHERE id = ?").param(job).query(String.class).single())
                .isEqualTo("finished");
        assertThat(jdbc.sql("SELECT status || ': ' || error FROM sync_runs WHERE job_id = ?").param(job)
                .query(String.class).single()).isEqualTo("failed: the sync ended before this run could");
    }

    @Test
    void aNodeWhoseRunWasTakenOverCannotCountAnotherBatch() {
        Api api = newWorkspace();
        UUID integration = UUID.fromString(HubSpotConnections.connect(api, HUBSPOT,
                HUBSPOT.portal(9305, "taken-over.hubspot.com"), "Taken over"));
        UUID job = transaction.execute(status -> {
            UUID interrupted = insertJob(integration, "finished", "now()");
            insertRun(interrupted, integration, "companies", 0);
            return interrupted;
        });
        UUID run = jdbc.sql("SELECT id FROM sync_runs WHERE job_id = ?").param(job).query(UUID.class).single();

        assertThatThrownBy(() -> runs.add(run, new SyncCounts(100, 100, 0, 0)))
                .isInstanceOf(SyncStoppedException.class);
        assertThat(jdbc.sql("SELECT fetched + batch_count FROM sync_runs WHERE id = ?").param(run)
                .query(Long.class).single()).isZero();
    }

    @Test
    void aStalledJobIsEndedOnceHoweverManyNodesLookAtOnce() throws Exception {
        Api api = newWorkspace();
        UUID integration = UUID.fromString(HubSpotConnections.connect(api, HUBSPOT,
                HUBSPOT.portal(9306, "stalled-once.hubspot.com"), "Stalled once"));
        // Heartbeating (so not stale), but no progress for a minute; the app's own watchdog waits 10 minutes.
        UUID job = transaction.execute(status -> {
            UUID running = insertJob(integration, "running", "now() - interval '2 minutes'");
            jdbc.sql("UPDATE sync_jobs SET heartbeat_at = now(), last_progress_at = now() - interval '1 minute' WHERE id = ?")
                    .param(running).update();
            insertRun(running, integration, "companies", 0, "running");
            insertRun(running, integration, "deals", 1, "queued");
            return running;
        });

        ExecutorService nodes = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<SyncJobRepository.Stalled>>> sweeps = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                sweeps.add(nodes.submit(() -> {
                    go.await();
                    return jobs.endStalled(Duration.ofSeconds(30), "stalled: no progress for 30s");
                }));
            }
            go.countDown();
            List<SyncJobRepository.Stalled> ended = new ArrayList<>();
            for (Future<List<SyncJobRepository.Stalled>> sweep : sweeps) {
                ended.addAll(sweep.get().stream().filter(stalled -> stalled.jobId().equals(job)).toList());
            }
            assertThat(ended).hasSize(1);
            assertThat(ended.get(0).provider()).isEqualTo("hubspot");
        } finally {
            nodes.shutdownNow();
        }

        assertThat(jdbc.sql("SELECT status FROM sync_jobs WHERE id = ?").param(job).query(String.class).single())
                .isIn("interrupted", "resumed");
        assertThat(jdbc.sql("SELECT object_type || ' ' || status || ': ' || error FROM sync_runs WHERE job_id = ? ORDER BY position")
                .param(job).query(String.class).list()).containsExactly(
                        "companies failed: stalled: no progress for 30s",
                        "deals interrupted: not run: the sync stalled before this run; it resumes");
    }

    private UUID insertJob(UUID integration, String status, String createdAt) {
        UUID job = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO sync_jobs (id, workspace_id, integration_id, provider, trigger, options, status, created_at)
                        SELECT ?, workspace_id, id, 'hubspot', 'manual', ?::jsonb, ?, %s FROM integrations WHERE id = ?"""
                        .formatted(createdAt))
                .params(job, OPTIONS, status, integration).update();
        return job;
    }

    private void insertRun(UUID job, UUID integration, String objectType, int position) {
        insertRun(job, integration, objectType, position, "interrupted");
    }

    private void insertRun(UUID job, UUID integration, String objectType, int position, String status) {
        jdbc.sql("""
                        INSERT INTO sync_runs (id, job_id, workspace_id, integration_id, provider, object_type, trigger,
                                               status, position)
                        SELECT ?, ?, workspace_id, id, 'hubspot', ?, 'manual', ?, ? FROM integrations WHERE id = ?""")
                .params(UUID.randomUUID(), job, objectType, status, position, integration).update();
    }
}
