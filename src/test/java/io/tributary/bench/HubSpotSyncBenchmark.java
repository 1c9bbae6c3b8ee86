package io.tributary.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.ChildApp;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
    private static final String MAX_HEAP = "256m";
    private static final Duration STEP = Duration.ofSeconds(1);
    private static final Pattern GC_HEAP = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final Pattern GC_PAUSE = Pattern.compile("\\) ([\\d.]+)ms$");

    @Test
    void backfillOfCompaniesUnderASmallHeap() throws Exception {
        int records = Integer.getInteger("bench.hubspot.records", 200_000);
        int warmupRecords = Integer.getInteger("bench.hubspot.warmup-records", 20_000);
        Duration timeout = Duration.ofMinutes(Integer.getInteger("bench.hubspot.timeout-minutes", 15));
        Files.createDirectories(Path.of("target"));
        Path dataDir = Files.createTempDirectory(Path.of("target"), "hubspot-bench-").toAbsolutePath();
        Path gcLog = Path.of("target", "hubspot-bench-gc.log").toAbsolutePath();
        Files.deleteIfExists(gcLog);
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + MAX_HEAP, "-XX:+ExitOnOutOfMemoryError",
                "-Xlog:gc:file=" + gcLog));
        // Extra JVM options for the app, e.g. a profile: -Dbench.hubspot.jvm-args="-XX:StartFlightRecording=..."
        jvm.addAll(words(System.getProperty("bench.hubspot.jvm-args", "")));

        try (HubSpotDouble hubSpot = HubSpotDouble.start()) {
            Instant first = Instant.now().minus(records + warmupRecords + 3_600L, ChronoUnit.SECONDS)
                    .truncatedTo(ChronoUnit.SECONDS);
            HubSpotDouble.Portal warmPortal = hubSpot.portal(7001, "warmup.hubspot.com");
            warmPortal.generate("companies", warmupRecords, 1, first, STEP);
            HubSpotDouble.Portal portal = hubSpot.portal(7002, "bench.hubspot.com");
            portal.generate("companies", records, 1, first, STEP);

            List<String> args = new ArrayList<>(List.of(
                    "--tributary.data-dir=" + dataDir,
                    "--tributary.api-key=" + KEY,
                    "--tributary.hubspot.client-id=" + HubSpotDouble.CLIENT_ID,
                    "--tributary.hubspot.client-secret=" + HubSpotDouble.CLIENT_SECRET,
                    "--tributary.hubspot.auth-base-url=" + hubSpot.baseUrl(),
                    "--tributary.hubspot.api-base-url=" + hubSpot.baseUrl(),
                    "--tributary.hubspot.page-size=200",
                    "--tributary.hubspot.requests-per-ten-seconds=1000000",
                    "--tributary.hubspot.searches-per-second=1000000",
                    "--tributary.sync.worker-poll-interval=100",
                    "--camel.main.routes-reload-enabled=false",
                    "--management.endpoints.web.exposure.include=health,info,metrics",
                    "--logging.level.root=WARN"));
            // Extra app arguments to try a configuration, e.g. -Dbench.args="--tributary.ingest.batch-size=200"
            args.addAll(words(System.getProperty("bench.args", "")));

            try (ChildApp app = ChildApp.start(jvm, Map.of(), args.toArray(String[]::new))) {
                Api api = app.api(KEY);
                // Warm-up: JIT, connection pool and PostgreSQL caches on another portal; left out of the figures.
                Sync warm = warmupRecords == 0 ? null : sync(app, api,
                        HubSpotConnections.connect(api, hubSpot, warmPortal, "Warm-up"), dataDir, gcLog, timeout);

                String integrationId = HubSpotConnections.connect(api, hubSpot, portal, "Benchmark");
                int searchesBefore = hubSpot.requests("/crm/v3/objects/companies/search");
                Sync run = sync(app, api, integrationId, dataDir, gcLog, timeout);
                int searches = hubSpot.requests("/crm/v3/objects/companies/search") - searchesBefore;

                long stored;
                long intact;
                try (Connection db = DriverManager.getConnection(jdbcUrl(dataDir), "postgres", "");
                     PreparedStatement count = db.prepareStatement("""
                             SELECT count(*),
                                    count(*) FILTER (WHERE payload->'properties'->>'name' = 'companies ' || object_id
                                                     AND payload->'properties'->>'domain'
                                                         = 'companies-' || object_id || '.example.com')
                             FROM source_records
                             WHERE integration_id = ? AND system = 'hubspot' AND object_type = 'company'""")) {
                    count.setObject(1, UUID.fromString(integrationId));
                    try (ResultSet rows = count.executeQuery()) {
                        rows.next();
                        stored = rows.getLong(1);
                        intact = rows.getLong(2);
                    }
                }

                System.out.printf("%n=== HubSpot sync benchmark: %,d companies, backfill all, page size 200, no rate"
                        + " limit, app -Xmx%s, %d cores ===%n", records, MAX_HEAP,
                        Runtime.getRuntime().availableProcessors());
                if (warm != null) {
                    System.out.printf("warm-up (%,d companies, other portal): %,10.0f records/s%n", warmupRecords,
                            warmupRecords / warm.seconds());
                }
                System.out.printf("elapsed, request to succeeded : %10.2f s (run's own duration_ms: %,d)%n",
                        run.seconds(), run.durationMs());
                System.out.printf("end to end                    : %,10.0f records/s  (target >= 10,000)%n",
                        records / run.seconds());
                System.out.printf("peak heap used during the sync: %10.1f MB of %s max (GC log %.1f MB, samples"
                        + " %.1f MB)%n", Math.max(run.heap().peakBeforeGcMb(), run.sampledPeakMb()), MAX_HEAP,
                        run.heap().peakBeforeGcMb(), run.sampledPeakMb());
                System.out.printf("largest heap after a GC       : %10.1f MB (%d GC pauses, %d full, %.0f ms in all)%n",
                        run.heap().peakAfterGcMb(), run.heap().collections(), run.heap().fullCollections(),
                        run.heap().pausedMs());
                System.out.printf("cores busy during the sync    : %s%n", run.cpu());
                System.out.printf("search requests               : %,10d%n", searches);
                System.out.printf("run fetched / ingested / failed: %,d / %,d / %,d%n", run.fetched(), run.ingested(),
                        run.failed());
                System.out.printf("rows stored / with the double's properties: %,d / %,d%n%n", stored, intact);

                assertThat(run.fetched()).as("fetched").isEqualTo(records);
                assertThat(run.ingested()).as("ingested").isEqualTo(records);
                assertThat(run.failed()).as("failed").isZero();
                assertThat(stored).as("every company stored once").isEqualTo(records);
                assertThat(intact).as("stored with its properties").isEqualTo(records);
                assertThat(run.heap().fullCollections()).as("no full GC under -Xmx" + MAX_HEAP).isZero();
            }
        } finally {
            FileSystemUtils.deleteRecursively(dataDir);
        }
    }

    /** What one sync of one integration took: wall time, the run's counts, the app's heap and the CPU meanwhile. */
    private record Sync(double seconds, long durationMs, long fetched, long ingested, long failed, Heap heap,
                        double sampledPeakMb, String cpu) {
    }

    /**
     * CPU time so far of the app, its PostgreSQL (the app's child processes), this JVM (the HubSpot
     * double) and the whole machine (/proc/stat, where there is one): the difference of two shows
     * how many cores each kept busy, and whether something else on the machine competed.
     */
    private record Cpu(long nanos, Duration app, Duration postgres, Duration test, long machineBusyTicks) {

        static Cpu now(ChildApp app, Path dataDir) throws IOException {
            // pg_ctl detaches PostgreSQL from the app: its postmaster's pid is line 1 of postmaster.pid.
            long postmaster = Long.parseLong(postmasterPid(dataDir).get(0).strip());
            Duration postgres = ProcessHandle.of(postmaster).stream()
                    .flatMap(process -> Stream.concat(Stream.of(process),
                            process.descendants()))
                    .map(Cpu::time).reduce(Duration.ZERO, Duration::plus);
            return new Cpu(System.nanoTime(), time(ProcessHandle.of(app.pid()).orElseThrow()), postgres,
                    time(ProcessHandle.current()), readMachineBusyTicks());
        }

        /** Cores kept busy on average between then and this snapshot. */
        String since(Cpu then) {
            double seconds = (nanos - then.nanos) / 1e9;
            double app = cores(this.app.minus(then.app), seconds);
            double postgres = cores(this.postgres.minus(then.postgres), seconds);
            double test = cores(this.test.minus(then.test), seconds);
            String text = String.format("app %.2f, its PostgreSQL %.2f, HubSpot double (test JVM) %.2f", app, postgres,
                    test);
            if (machineBusyTicks >= 0 && then.machineBusyTicks >= 0) {
                // /proc/stat counts in USER_HZ, 100 per second on Linux.
                double machine = (machineBusyTicks - then.machineBusyTicks) / 100.0 / seconds;
                text += String.format(", anything else %.2f; machine %.2f of %d", Math.max(0,
                        machine - app - postgres - test), machine, Runtime.getRuntime().availableProcessors());
            }
            return text;
        }

        private static double cores(Duration cpu, double seconds) {
            return cpu.toNanos() / 1e9 / seconds;
        }

        private static Duration time(ProcessHandle process) {
            return process.info().totalCpuDuration().orElse(Duration.ZERO);
        }

        private static long readMachineBusyTicks() {
            try {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < cpu.length && i <= 8; i++) {
                    // user nice system idle iowait irq softirq steal: all but idle and iowait
                    busy += i == 4 || i == 5 ? 0 : Long.parseLong(cpu[i]);
                }
                return busy;
            } catch (IOException | RuntimeException notLinux) {
                return -1;
            }
        }
    }

    /** POSTs a backfill of every company, polls status (and samples the heap) every 100 ms until it succeeds. */
    private static Sync sync(ChildApp app, Api api, String integrationId, Path dataDir, Path gcLog, Duration timeout)
            throws Exception {
        String base = "/api/v1/integrations/" + integrationId;
        long gcLogStart = Files.exists(gcLog) ? Files.size(gcLog) : 0;
        double sampledPeak = 0;
        Cpu cpuBefore = Cpu.now(app, dataDir);
        long start = System.nanoTime();
        Api.Response accepted = api.post(base + "/sync", Map.of("objects", List.of("companies"), "backfill", "all"));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        String runId = accepted.json().get("sync_run_ids").get(0).asText();
        long deadline = start + timeout.toNanos();
        while (true) {
            if (!ProcessHandle.of(app.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                throw new AssertionError("The app died during the sync (out of memory?); see target/child-app-*.log");
            }
            sampledPeak = Math.max(sampledPeak, heapUsedMb(api));
            Api.Response status = api.get(base + "/sync/status");
            JsonNode companies = status.json().path("objects").path("companies");
            String state = companies.path("status").asText();
            if (state.equals("succeeded") && companies.path("last_run_id").asText().equals(runId)) {
                break;
            }
            if (!List.of("queued", "running", "idle").contains(state) || System.nanoTime() > deadline) {
                throw new AssertionError("The sync did not succeed: " + status);
            }
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Cpu cpuAfter = Cpu.now(app, dataDir);
        Heap heap = Heap.parse(gcLog, gcLogStart);
        JsonNode run = null;
        for (JsonNode item : api.get(base + "/sync/runs").json().path("items")) {
            if (item.path("id").asText().equals(runId)) {
                run = item;
            }
        }
        assertThat(run).as("run " + runId + " listed").isNotNull();
        return new Sync(seconds, run.path("duration_ms").asLong(), run.path("fetched").asLong(),
                run.path("ingested").asLong(), run.path("failed").asLong(), heap, sampledPeak,
                cpuAfter.since(cpuBefore));
    }

    private static double heapUsedMb(Api api) {
        Api.Response metric = api.get("/actuator/metrics/jvm.memory.used?tag=area:heap");
        assertThat(metric.status()).as(metric.toString()).isEqualTo(200);
        return metric.json().path("measurements").get(0).path("value").asDouble() / (1024 * 1024);
    }

    /** The GCs in the log after an offset: the heap used before and after each, in MB. */
    private record Heap(double peakBeforeGcMb, double peakAfterGcMb, int collections, int fullCollections,
                        double pausedMs) {

        static Heap parse(Path gcLog, long from) throws IOException {
            byte[] all = Files.readAllBytes(gcLog);
            String text = new String(all, (int) Math.min(from, all.length), (int) (all.length - Math.min(from,
                    all.length)), StandardCharsets.UTF_8);
            double before = 0;
            double after = 0;
            int collections = 0;
            int full = 0;
            double paused = 0;
            for (String line : text.split("\n")) {
                Matcher heap = GC_HEAP.matcher(line);
                if (!line.contains("Pause") || !heap.find()) {
                    continue;
                }
                collections++;
                full += line.contains("Pause Full") ? 1 : 0;
                before = Math.max(before, mb(heap.group(1), heap.group(2)));
                after = Math.max(after, mb(heap.group(3), heap.group(4)));
                Matcher pause = GC_PAUSE.matcher(line.strip());
                paused += pause.find() ? Double.parseDouble(pause.group(1)) : 0;
            }
            return new Heap(before, after, collections, full, paused);
        }

        private static double mb(String value, String unit) {
            double v = Double.parseDouble(value);
            return switch (unit) {
                case "K" -> v / 1024;
                case "G" -> v * 1024;
                default -> v;
            };
        }
    }

    /** The embedded PostgreSQL the app started in its data dir: its port is line 4 of postmaster.pid. */
    private static String jdbcUrl(Path dataDir) throws IOException {
        return "jdbc:postgresql://localhost:" + postmasterPid(dataDir).get(3).strip() + "/postgres";
    }

    private static List<String> postmasterPid(Path dataDir) throws IOException {
        return Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.split(" ")).filter(word -> !word.isBlank()).toList();
    }
}
