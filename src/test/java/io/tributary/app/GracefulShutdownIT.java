package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.ChildApp;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import io.tributary.support.SyncStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * SIGTERM in the middle of a HubSpot sync, on the embedded PostgreSQL default: the node commits the
 * batch in hand, marks its run interrupted itself (its database still open) and exits; the next
 * start resumes the run from the committed cursor, and every record ends up stored once.
 */
class GracefulShutdownIT {

    private static final String KEY = "shutdown-test-api-key-0001";
    private static final int COMPANIES = 10_000;
    private static final Instant FIRST = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private static final Duration STEP = Duration.ofMillis(250);

    @Test
    void aNodeStoppedMidSyncInterruptsItsRunAndTheNextStartResumesIt(@TempDir Path dataDir) throws Exception {
        try (HubSpotDouble hubSpot = HubSpotDouble.start()) {
            HubSpotDouble.Portal portal = hubSpot.portal(9101, "shutdown.hubspot.com");
            portal.generate("companies", COMPANIES, 1, FIRST, STEP);
            Map<String, String> environment = ChildApp.newMasterKey();
            String[] args = arguments(hubSpot, dataDir, "15s");

            String integrationId;
            ChildApp first = ChildApp.start(List.of("-Xmx512m"), environment, args);
            try {
                integrationId = syncUntil(first, hubSpot, portal, 1_500);
                // Generous: the bound is the shutdown timeout (15 s); this only catches a hang.
                assertThat(first.terminate(Duration.ofSeconds(60))).as("exited after SIGTERM").isTrue();
            } finally {
                first.close();
            }

            UUID integration = UUID.fromString(integrationId);
            long committed = onDatabase(dataDir, jdbc -> {
                // Nobody else was running: the stopping node marked its run interrupted itself.
                Map<String, Object> run = jdbc.sql("""
                                SELECT status, trigger, fetched, ingested, error FROM sync_runs
                                WHERE integration_id = ? AND trigger = 'manual'""")
                        .param(integration).query().singleRow();
                assertThat(run.get("status")).isEqualTo("interrupted");
                assertThat((String) run.get("error")).contains("shut down");
                long stored = count(jdbc, "SELECT count(*) FROM source_records WHERE integration_id = ?", integration);
                assertThat(stored).isBetween(1_500L, COMPANIES - 1L);
                // Its counts are what it committed: the last batch was written, counted and its cursor saved.
                assertThat(run.get("ingested")).isEqualTo(stored);
                assertThat(run.get("fetched")).isEqualTo(stored);
                Instant cursor = jdbc.sql("SELECT cursor_time FROM sync_cursors WHERE integration_id = ?")
                        .param(integration).query(java.sql.Timestamp.class).single().toInstant();
                assertThat(cursor).isEqualTo(FIRST.plus(STEP.multipliedBy(stored - 1)));
                assertThat(count(jdbc, "SELECT count(*) FROM sync_runs WHERE integration_id = ? AND status = 'running'",
                        integration)).isZero();
                assertThat(count(jdbc, "SELECT count(*) FROM sync_jobs WHERE integration_id = ? AND status = 'running'",
                        integration)).isZero();
            }, integration);

            try (ChildApp second = ChildApp.start(List.of("-Xmx512m"), environment, args)) {
                Api api = second.api(KEY);
                int searchesBefore = hubSpot.requests("/crm/v3/objects/companies/search");
                JsonNode resumed = SyncStatus.awaitRun(api, integrationId, "resume", "succeeded");
                // From the cursor (less the 60 s lookback), not from the backfill's start.
                long lookback = Duration.ofSeconds(60).toMillis() / STEP.toMillis();
                assertThat(resumed.get("fetched").asLong()).isBetween(COMPANIES - committed,
                        COMPANIES - committed + lookback + 1);
                assertThat(hubSpot.requests("/crm/v3/objects/companies/search") - searchesBefore)
                        .isLessThan((int) (COMPANIES - committed + lookback) / 100 + 5);
            }

            onDatabase(dataDir, jdbc -> {
                assertThat(count(jdbc, "SELECT count(*) FROM source_records WHERE integration_id = ?", integration))
                        .isEqualTo(COMPANIES);
                assertThat(count(jdbc, "SELECT count(DISTINCT object_id) FROM source_records WHERE integration_id = ?",
                        integration)).isEqualTo(COMPANIES);
                assertThat(count(jdbc, "SELECT count(*) FROM sync_jobs WHERE integration_id = ? AND trigger = 'resume'",
                        integration)).isEqualTo(1);
                assertThat(count(jdbc, """
                                SELECT count(*) FROM sync_runs
                                WHERE integration_id = ? AND status NOT IN ('succeeded', 'interrupted')""",
                        integration)).isZero();
            }, integration);
        }
    }

    @Test
    void aSyncStuckWaitingOutARateLimitIsInterruptedWhenTheShutdownTimeoutRunsOut(@TempDir Path dataDir)
            throws Exception {
        try (HubSpotDouble hubSpot = HubSpotDouble.start()) {
            HubSpotDouble.Portal portal = hubSpot.portal(9102, "stuck.hubspot.com");
            portal.generate("companies", COMPANIES, 1, FIRST, STEP);
            String integrationId;
            ChildApp app = ChildApp.start(List.of("-Xmx512m"), ChildApp.newMasterKey(), arguments(hubSpot, dataDir, "3s"));
            try {
                integrationId = syncUntil(app, hubSpot, portal, 500);
                // The next search waits out a minute's Retry-After: the sync cannot reach a checkpoint.
                hubSpot.throttleNext(100, 60);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (hubSpot.throttled() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(hubSpot.throttled()).isPositive();
                // Generous: the bound is the shutdown timeout (3 s), far under the minute's wait.
                assertThat(app.terminate(Duration.ofSeconds(45))).as("exited after SIGTERM").isTrue();
            } finally {
                app.close();
            }

            UUID integration = UUID.fromString(integrationId);
            onDatabase(dataDir, jdbc -> {
                // The stopping node's worker keeps ticking until Camel stops, so it may already have
                // queued the resume (trigger resume) of the run it interrupted: that one is not asserted here.
                Map<String, Object> run = jdbc.sql("""
                                SELECT status, error FROM sync_runs WHERE integration_id = ? AND trigger = 'manual'""")
                        .param(integration).query().singleRow();
                assertThat(run.get("status")).isEqualTo("interrupted");
                assertThat((String) run.get("error")).contains("shut down");
                assertThat(count(jdbc, "SELECT count(*) FROM sync_runs WHERE integration_id = ? AND status = 'running'",
                        integration)).isZero();
                assertThat(count(jdbc, "SELECT count(*) FROM sync_jobs WHERE integration_id = ? AND status = 'running'",
                        integration)).isZero();
            }, integration);
        }
    }

    private static String[] arguments(HubSpotDouble hubSpot, Path dataDir, String shutdownTimeout) {
        List<String> arguments = new ArrayList<>(hubSpot.appArguments());
        arguments.addAll(List.of(
                "--tributary.data-dir=" + dataDir,
                "--tributary.api-key=" + KEY,
                "--tributary.hubspot.page-size=100",
                // Paced, so the sync is still going when the node is stopped.
                "--tributary.hubspot.searches-per-second=10",
                "--tributary.sync.worker-poll-interval=100",
                "--tributary.sync.shutdown-timeout=" + shutdownTimeout,
                "--camel.main.routes-reload-enabled=false"));
        return arguments.toArray(String[]::new);
    }

    /** Connects the portal and syncs its companies (a 30-day backfill); returns once this many are stored. */
    private static String syncUntil(ChildApp app, HubSpotDouble hubSpot, HubSpotDouble.Portal portal, long atLeast)
            throws InterruptedException {
        Api api = app.api(KEY);
        String integrationId = HubSpotConnections.connect(api, hubSpot, portal, "Shutdown");
        assertThat(api.post("/api/v1/integrations/" + integrationId + "/sync",
                Map.of("objects", List.of("companies"), "backfill", "30d")).status()).isEqualTo(202);
        awaitIngested(api, integrationId, atLeast);
        return integrationId;
    }

    private static void awaitIngested(Api api, String integrationId, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            var items = api.get("/api/v1/integrations/" + integrationId + "/sync/runs").json().get("items");
            if (!items.isEmpty() && items.get(0).get("ingested").asLong() >= atLeast) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the sync never got going: " + items);
            }
            Thread.sleep(20);
        }
    }

    /** Opens the app's data dir with a PostgreSQL of the test's own while the app is down. */
    private static long onDatabase(Path dataDir, Consumer<JdbcClient> check, UUID integration) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false).start()) {
            JdbcClient jdbc = JdbcClient.create(postgres.getPostgresDatabase());
            check.accept(jdbc);
            return count(jdbc, "SELECT count(*) FROM source_records WHERE integration_id = ?", integration);
        }
    }

    private static long count(JdbcClient jdbc, String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }
}
