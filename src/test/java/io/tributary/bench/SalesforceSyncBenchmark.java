package io.tributary.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.support.Api;
import io.tributary.support.ChildApp;
import io.tributary.support.SalesforceConnections;
import io.tributary.support.SalesforceDouble;
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
 * The HubSpot sync benchmark's counterpart: a backfill of N Salesforce accounts end to end. The app
 * runs in a JVM of its own under -Xmx256m with its embedded PostgreSQL (fsync on), connects an org of
 * the WireMock Salesforce double by OAuth (PKCE) and syncs every account through camel-salesforce's
 * queryAll with 2,000 rows a page and a daily API limit too high to matter. Prints records/s from the
 * sync request to the accounts run's status succeeded, the app's peak heap during the sync (GC log
 * target/salesforce-bench-gc.log, or a larger 100 ms sample) and the cores each process kept busy,
 * then checks that every account was stored once with its fields. A warm-up sync of another org runs
 * first and is left out.
 * Run: mvn -B -Pbench test -Dtest=SalesforceSyncBenchmark [-Dbench.salesforce.records=200000
 * -Dbench.salesforce.warmup-records=20000 -Dbench.args="--app.arg=..." -Dbench.salesforce.jvm-args="-XX:..."]
 */
@Tag("benchmark")
class SalesforceSyncBenchmark {

    private static final String KEY = "trb_salesforce_benchmark_01234567";
    private static final Duration STEP = Duration.ofSeconds(1);

    @Test
    void backfillOfAccountsUnderASmallHeap() throws Exception {
        int records = Integer.getInteger("bench.salesforce.records", 200_000);
        int warmupRecords = Integer.getInteger("bench.salesforce.warmup-records", 20_000);
        Duration timeout = Duration.ofMinutes(Integer.getInteger("bench.salesforce.timeout-minutes", 15));
        Files.createDirectories(Path.of("target"));
        Path dataDir = Files.createTempDirectory(Path.of("target"), "salesforce-bench-").toAbsolutePath();
        Path gcLog = Path.of("target", "salesforce-bench-gc.log").toAbsolutePath();
        Files.deleteIfExists(gcLog);

        try (SalesforceDouble salesforce = SalesforceDouble.start()) {
            salesforce.setDailyLimit(100_000_000);
            Instant first = Instant.now().minus(records + warmupRecords + 3_600L, ChronoUnit.SECONDS)
                    .truncatedTo(ChronoUnit.SECONDS);
            SalesforceDouble.Org warmOrg = salesforce.org("00D0000000000W1AAA", false);
            warmOrg.generate("Account", warmupRecords, first, STEP);
            SalesforceDouble.Org org = salesforce.org("00D0000000000B1AAA", false);
            org.generate("Account", records, first, STEP);

            List<String> args = SyncMeasurement.appArguments(dataDir, KEY);
            args.addAll(0, List.of(
                    "--tributary.salesforce.client-id=" + SalesforceDouble.CLIENT_ID,
                    "--tributary.salesforce.client-secret=" + SalesforceDouble.CLIENT_SECRET,
                    "--tributary.salesforce.production-login-url=" + salesforce.baseUrl()));
            List<String> jvm = SyncMeasurement.jvmOptions(gcLog, "bench.salesforce.jvm-args");
            Map<String, Object> backfill = Map.of("backfill", "all");

            try (ChildApp app = ChildApp.start(jvm, Map.of(), args.toArray(String[]::new))) {
                Api api = app.api(KEY);
                SyncMeasurement measurement = SyncMeasurement.of(app, api, dataDir, gcLog);
                // Warm-up: JIT, connection pool and PostgreSQL caches on another org; left out of the figures.
                SyncMeasurement.Result warm = warmupRecords == 0 ? null : measurement.sync(
                        SalesforceConnections.connect(api, salesforce, warmOrg, "environment=production&name=Warm-up"),
                        backfill, "accounts", timeout);

                String integrationId = SalesforceConnections.connect(api, salesforce, org,
                        "environment=production&name=Benchmark");
                int queriesBefore = org.dailyUsed();
                SyncMeasurement.Result run = measurement.sync(integrationId, backfill, "accounts", timeout);
                int apiCalls = org.dailyUsed() - queriesBefore;

                SyncMeasurement.Stored stored = measurement.stored(integrationId, "salesforce", "account", """
                        payload->>'Id' = object_id AND payload->>'Name' LIKE 'Account %'
                        AND payload->>'BillingCity' IS NOT NULL AND payload->>'SystemModstamp' IS NOT NULL""");

                System.out.printf("%n=== Salesforce sync benchmark: %,d accounts, backfill all, queryAll 2,000 a page,"
                        + " app -Xmx%s, %d cores ===%n", records, SyncMeasurement.MAX_HEAP,
                        Runtime.getRuntime().availableProcessors());
                if (warm != null) {
                    System.out.printf("warm-up (%,d accounts, other org): %,10.0f records/s%n", warmupRecords,
                            warmupRecords / warm.seconds());
                }
                run.print(records, "");
                System.out.printf("API requests counted by the org: %,9d%n", apiCalls);
                System.out.printf("rows stored / with the double's fields: %,d / %,d%n%n", stored.rows(), stored.intact());

                run.assertComplete(records);
                assertThat(stored.rows()).as("every account stored once").isEqualTo(records);
                assertThat(stored.intact()).as("stored with its fields").isEqualTo(records);
            }
        } finally {
            FileSystemUtils.deleteRecursively(dataDir);
        }
    }
}
