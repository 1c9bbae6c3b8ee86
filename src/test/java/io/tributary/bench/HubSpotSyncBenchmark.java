package io.tributary.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.support.Api;
import io.tributary.support.ChildApp;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * A backfill of N HubSpot companies end to end: the app runs in a JVM of its own under -Xmx256m
 * with its embedded PostgreSQL (fsync on), connects a portal of the WireMock HubSpot double by
 * OAuth and syncs every company with no rate limit (pacing off, 200 per search page). Prints
 * records/s from the sync request to status succeeded, the app's peak heap during the sync (the
 * largest heap-before-GC in its GC log, target/hubspot-bench-gc.log, or a larger 100 ms sample of
 * jvm.memory.used) and the cores each process kept busy, then checks that every company was stored
 * once with its properties. A warm-up sync of another portal runs first and is left out.
 * Run: mvn -B -Pbench test -Dtest=HubSpotSyncBenchmark [-Dbench.hubspot.records=200000
 * -Dbench.hubspot.warmup-records=20000 -Dbench.args="--app.arg=..." -Dbench.hubspot.jvm-args="-XX:..."]
 */
@Tag("benchmark")
class HubSpotSyncBenchmark {

    private static final String KEY = "trb_hubspot_benchmark_0123456789";
    private static final Duration STEP = Duration.ofSeconds(1);

    @Test
    void backfillOfCompaniesUnderASmallHeap() throws Exception {
        int records = Integer.getInteger("bench.hubspot.records", 200_000);
        int warmupRecords = Integer.getInteger("bench.hubspot.warmup-records", 20_000);
        Duration timeout = Duration.ofMinutes(Integer.getInteger("bench.hubspot.timeout-minutes", 15));
        Files.createDirectories(Path.of("target"));
        Path dataDir = Files.createTempDirectory(Path.of("target"), "hubspot-bench-").toAbsolutePath();
        Path gcLog = Path.of("target", "hubspot-bench-gc.log").toAbsolutePath();
        Files.deleteIfExists(gcLog);

        try (HubSpotDouble hubSpot = HubSpotDouble.start()) {
            Instant first = Instant.now().minus(records + warmupRecords + 3_600L, ChronoUnit.SECONDS)
                    .truncatedTo(ChronoUnit.SECONDS);
            HubSpotDouble.Portal warmPortal = hubSpot.portal(7001, "warmup.hubspot.com");
            warmPortal.generate("companies", warmupRecords, 1, first, STEP);
            HubSpotDouble.Portal portal = hubSpot.portal(7002, "bench.hubspot.com");
            portal.generate("companies", records, 1, first, STEP);

            List<String> args = SyncMeasurement.appArguments(dataDir, KEY);
            args.addAll(0, List.of(
                    "--tributary.hubspot.client-id=" + HubSpotDouble.CLIENT_ID,
                    "--tributary.hubspot.client-secret=" + HubSpotDouble.CLIENT_SECRET,
                    "--tributary.hubspot.auth-base-url=" + hubSpot.baseUrl(),
                    "--tributary.hubspot.api-base-url=" + hubSpot.baseUrl(),
                    "--tributary.hubspot.page-size=200",
                    "--tributary.hubspot.requests-per-ten-seconds=1000000",
                    "--tributary.hubspot.searches-per-second=1000000"));
            List<String> jvm = SyncMeasurement.jvmOptions(gcLog, "bench.hubspot.jvm-args");
            Map<String, Object> backfill = Map.of("objects", List.of("companies"), "backfill", "all");

            try (ChildApp app = ChildApp.start(jvm, Map.of(), args.toArray(String[]::new))) {
                Api api = app.api(KEY);
                SyncMeasurement measurement = SyncMeasurement.of(app, api, dataDir, gcLog);
                // Warm-up: JIT, connection pool and PostgreSQL caches on another portal; left out of the figures.
                SyncMeasurement.Result warm = warmupRecords == 0 ? null : measurement.sync(
                        HubSpotConnections.connect(api, hubSpot, warmPortal, "Warm-up"), backfill, "companies",
                        timeout);

                String integrationId = HubSpotConnections.connect(api, hubSpot, portal, "Benchmark");
                int searchesBefore = hubSpot.requests("/crm/v3/objects/companies/search");
                SyncMeasurement.Result run = measurement.sync(integrationId, backfill, "companies", timeout);
                int searches = hubSpot.requests("/crm/v3/objects/companies/search") - searchesBefore;

                SyncMeasurement.Stored stored = measurement.stored(integrationId, "hubspot", "company", """
                        payload->'properties'->>'name' = 'companies ' || object_id
                        AND payload->'properties'->>'domain' = 'companies-' || object_id || '.example.com'""");

                System.out.printf("%n=== HubSpot sync benchmark: %,d companies, backfill all, page size 200, no rate"
                        + " limit, app -Xmx%s, %d cores ===%n", records, SyncMeasurement.MAX_HEAP,
                        Runtime.getRuntime().availableProcessors());
                if (warm != null) {
                    System.out.printf("warm-up (%,d companies, other portal): %,10.0f records/s%n", warmupRecords,
                            warmupRecords / warm.seconds());
                }
                run.print(records, ">= 10,000");
                System.out.printf("search requests               : %,10d%n", searches);
                System.out.printf("rows stored / with the double's properties: %,d / %,d%n%n", stored.rows(),
                        stored.intact());

                run.assertComplete(records);
                assertThat(stored.rows()).as("every company stored once").isEqualTo(records);
                assertThat(stored.intact()).as("stored with its properties").isEqualTo(records);
            }
        } finally {
            FileSystemUtils.deleteRecursively(dataDir);
        }
    }
}
