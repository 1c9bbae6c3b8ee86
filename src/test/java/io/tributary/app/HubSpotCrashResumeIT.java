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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a node in the middle of a HubSpot sync: what was committed stays, the cursor never
 * points past a committed record, and the next node to start resumes the sync from it by itself
 * and loses nothing.
 */
class HubSpotCrashResumeIT {

    private static final String KEY = "crash-test-api-key-0001";
    private static final int COMPANIES = 20_000;
    private static final Instant FIRST = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private static final Duration STEP = Duration.ofMillis(250);

    @Test
    void aSyncKilledMidwayResumesFromTheLastCommittedCursor(@TempDir Path dataDir) throws Exception {
        try (HubSpotDouble hubSpot = HubSpotDouble.start();
             EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("pg"))
                     .setCleanDataDirectory(true).start()) {
            HubSpotDouble.Portal portal = hubSpot.portal(9001, "crash.hubspot.com");
            portal.generate("companies", COMPANIES, 1, FIRST, STEP);
            Map<String, String> environment = ChildApp.newMasterKey();
            List<String> args = new ArrayList<>(hubSpot.appArguments());
            args.addAll(List.of(
                    "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                    "--spring.datasource.username=postgres",
                    "--tributary.api-key=" + KEY,
                    "--tributary.hubspot.page-size=100",
                    "--tributary.hubspot.searches-per-second=20",
                    "--tributary.sync.worker-poll-interval=100",
                    "--tributary.sync.stale-after=2s",
                    "--camel.main.routes-reload-enabled=false"));

            String integrationId;
            try (ChildApp first = ChildApp.start(List.of("-Xmx512m"), environment, args.toArray(String[]::new))) {
                Api api = first.api(KEY);
                integrationId = HubSpotConnections.connect(api, hubSpot, portal, "Crash");
                assertThat(api.post("/api/v1/integrations/" + integrationId + "/sync",
                        Map.of("objects", List.of("companies"), "backfill", "30d")).status()).isEqualTo(202);
                awaitRecords(postgres, integrationId, 3_000);
                first.kill();
            }

            long committed = countRecords(postgres, integrationId);
            assertThat(committed).isLessThan(COMPANIES);
            Instant cursor = cursorTime(postgres, integrationId);
            // Every record up to the cursor is committed: the cursor never ran ahead of the store.
            long upToCursor = Duration.between(FIRST, cursor).toMillis() / STEP.toMillis() + 1;
            assertThat(countRecordsUpTo(postgres, integrationId, cursor)).isEqualTo(upToCursor);

            int searchesBefore = hubSpot.requests("/crm/v3/objects/companies/search");
            try (ChildApp second = ChildApp.start(List.of("-Xmx512m"), environment, args.toArray(String[]::new))) {
                Api api = second.api(KEY);
                // The next node to start interrupts the silent job and queues its resume, once, by itself.
                JsonNode resumed = SyncStatus.awaitRun(api, integrationId, "resume", "succeeded");
                JsonNode interrupted = SyncStatus.awaitRun(api, integrationId, "manual", "interrupted");
                assertThat(interrupted.get("error").asText()).contains("stopped");
                // Resumed near the cursor: far fewer pages than a sync from the start.
                assertThat(hubSpot.requests("/crm/v3/objects/companies/search") - searchesBefore)
                        .isLessThan((COMPANIES - (int) upToCursor) / 100 + 10);
                assertThat(resumed.get("fetched").asLong()).isLessThan(COMPANIES - upToCursor + 300);
            }
            assertThat(countRecords(postgres, integrationId)).isEqualTo(COMPANIES);
        }
    }

    private static void awaitRecords(EmbeddedPostgres postgres, String integrationId, long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (countRecords(postgres, integrationId) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the sync never got going");
            }
            Thread.sleep(20);
        }
    }

    private static long countRecords(EmbeddedPostgres postgres, String integrationId) throws Exception {
        return queryLong(postgres, "SELECT count(*) FROM source_records WHERE integration_id = '" + integrationId + "'");
    }

    private static long countRecordsUpTo(EmbeddedPostgres postgres, String integrationId, Instant cursor) throws Exception {
        return queryLong(postgres, "SELECT count(*) FROM source_records WHERE integration_id = '" + integrationId
                + "' AND updated_at <= '" + Timestamp.from(cursor).toInstant() + "'::timestamptz");
    }

    private static Instant cursorTime(EmbeddedPostgres postgres, String integrationId) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT cursor_time FROM sync_cursors WHERE integration_id = '" + UUID.fromString(integrationId) + "'")) {
            assertThat(rows.next()).as("a cursor was committed").isTrue();
            return rows.getTimestamp(1).toInstant();
        }
    }

    private static long queryLong(EmbeddedPostgres postgres, String sql) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
