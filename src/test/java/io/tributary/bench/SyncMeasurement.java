package io.tributary.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.ChildApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the sync benchmarks share: the app in a JVM of its own under a small heap with a GC log, one
 * sync of one integration measured from its request to status succeeded (wall time, the run's
 * counts, the app's peak heap, the cores each process kept busy), and the figures printed alike.
 */
final class SyncMeasurement {

    static final String MAX_HEAP = "256m";
    private static final Pattern GC_HEAP = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final Pattern GC_PAUSE = Pattern.compile("\\) ([\\d.]+)ms$");

    private final ChildApp app;
    private final Api api;
    private final Path dataDir;
    private final Path gcLog;

    private SyncMeasurement(ChildApp app, Api api, Path dataDir, Path gcLog) {
        this.app = app;
        this.api = api;
        this.dataDir = dataDir;
        this.gcLog = gcLog;
    }

    /** JVM options of the app: the small heap, a GC log, and extra options from the given system property. */
    static List<String> jvmOptions(Path gcLog, String extraOptionsProperty) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + MAX_HEAP, "-XX:+ExitOnOutOfMemoryError",
                "-Xlog:gc:file=" + gcLog));
        // e.g. a profile: -D<property>="-XX:StartFlightRecording=..."
        jvm.addAll(words(System.getProperty(extraOptionsProperty, "")));
        return jvm;
    }

    /** App arguments every sync benchmark needs, plus extra ones from -Dbench.args to try a configuration. */
    static List<String> appArguments(Path dataDir, String apiKey) {
        List<String> args = new ArrayList<>(List.of(
                "--tributary.data-dir=" + dataDir,
                "--tributary.api-key=" + apiKey,
                "--tributary.sync.worker-poll-interval=100",
                "--camel.main.routes-reload-enabled=false",
                "--management.endpoints.web.exposure.include=health,info,metrics",
                "--logging.level.root=WARN"));
        // e.g. -Dbench.args="--tributary.ingest.batch-size=200"
        args.addAll(words(System.getProperty("bench.args", "")));
        return args;
    }

    static SyncMeasurement of(ChildApp app, Api api, Path dataDir, Path gcLog) {
        return new SyncMeasurement(app, api, dataDir, gcLog);
    }

    /**
     * POSTs the sync request, polls the status of one object (sampling the heap) every 100 ms until
     * its run succeeds, and reads that run's counts.
     */
    Result sync(String integrationId, Map<String, Object> request, String object, Duration timeout)
            throws Exception {
        String base = "/api/v1/integrations/" + integrationId;
        long gcLogStart = Files.exists(gcLog) ? Files.size(gcLog) : 0;
        double sampledPeak = 0;
        Cpu cpuBefore = Cpu.now(app, dataDir);
        long start = System.nanoTime();
        Api.Response accepted = api.post(base + "/sync", request);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        List<String> runIds = new ArrayList<>();
        accepted.json().get("sync_run_ids").forEach(id -> runIds.add(id.asText()));
        long deadline = start + timeout.toNanos();
        String runId;
        while (true) {
            if (!ProcessHandle.of(app.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                throw new AssertionError("The app died during the sync (out of memory?); see target/child-app-*.log");
            }
            sampledPeak = Math.max(sampledPeak, heapUsedMb());
            Api.Response status = api.get(base + "/sync/status");
            JsonNode objectStatus = status.json().path("objects").path(object);
            String state = objectStatus.path("status").asText();
            runId = objectStatus.path("last_run_id").asText();
            if (state.equals("succeeded") && runIds.contains(runId)) {
                break;
            }
            if (!List.of("queued", "running", "idle").contains(state) || System.nanoTime() > deadline) {
                throw new AssertionError("The sync did not succeed: " + status);
            }
            // Polls cost the app work too: a few a second keep the measurement from loading what it measures.
            Thread.sleep(250);
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
        return new Result(seconds, run.path("duration_ms").asLong(), run.path("fetched").asLong(),
                run.path("ingested").asLong(), run.path("failed").asLong(), heap, sampledPeak,
                cpuAfter.since(cpuBefore));
    }

    /** Rows an integration has in the store, and how many of them pass a check of their payload. */
    record Stored(long rows, long intact) {
    }

    /** Counts the integration's records of one system and type, and those whose payload passes intactWhen (SQL). */
    Stored stored(String integrationId, String system, String objectType, String intactWhen)
            throws IOException, SQLException {
        // The embedded PostgreSQL the app started in its data dir: its port is line 4 of postmaster.pid.
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://localhost:"
                + postmasterPid(dataDir).get(3).strip() + "/postgres", "postgres", "");
             PreparedStatement count = db.prepareStatement("SELECT count(*), count(*) FILTER (WHERE " + intactWhen
                     + ") FROM source_records WHERE integration_id = ? AND system = ? AND object_type = ?")) {
            count.setObject(1, UUID.fromString(integrationId));
            count.setString(2, system);
            count.setString(3, objectType);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return new Stored(rows.getLong(1), rows.getLong(2));
            }
        }
    }

    private double heapUsedMb() {
        Api.Response metric = api.get("/actuator/metrics/jvm.memory.used?tag=area:heap");
        assertThat(metric.status()).as(metric.toString()).isEqualTo(200);
        return metric.json().path("measurements").get(0).path("value").asDouble() / (1024 * 1024);
    }

    /** What one sync of one integration took: wall time, the run's counts, the app's heap and the CPU meanwhile. */
    record Result(double seconds, long durationMs, long fetched, long ingested, long failed, Heap heap,
                  double sampledPeakMb, String cpu) {

        /** The figures every sync benchmark prints; target: what the throughput is held against, if anything. */
        void print(long records, String target) {
            System.out.printf("elapsed, request to succeeded : %10.2f s (run's own duration_ms: %,d)%n",
                    seconds, durationMs);
            System.out.printf("end to end                    : %,10.0f records/s%s%n", records / seconds,
                    target.isEmpty() ? "" : "  (target " + target + ")");
            System.out.printf("peak heap used during the sync: %10.1f MB of %s max (GC log %.1f MB, samples"
                    + " %.1f MB)%n", Math.max(heap.peakBeforeGcMb(), sampledPeakMb), MAX_HEAP,
                    heap.peakBeforeGcMb(), sampledPeakMb);
            System.out.printf("largest heap after a GC       : %10.1f MB (%d GC pauses, %d full, %.0f ms in all)%n",
                    heap.peakAfterGcMb(), heap.collections(), heap.fullCollections(), heap.pausedMs());
            System.out.printf("cores busy during the sync    : %s%n", cpu);
            System.out.printf("run fetched / ingested / failed: %,d / %,d / %,d%n", fetched, ingested, failed);
        }

        /** Every record fetched and ingested once, none failed, and no full GC under the small heap. */
        void assertComplete(long records) {
            assertThat(fetched).as("fetched").isEqualTo(records);
            assertThat(ingested).as("ingested").isEqualTo(records);
            assertThat(failed).as("failed").isZero();
            assertThat(heap.fullCollections()).as("no full GC under -Xmx" + MAX_HEAP).isZero();
        }
    }

    /**
     * CPU time so far of the app, its PostgreSQL (the app's child processes), this JVM (the
     * provider's double) and the whole machine (/proc/stat, where there is one): the difference of
     * two shows how many cores each kept busy, and whether something else on the machine competed.
     */
    private record Cpu(long nanos, Duration app, Duration postgres, Duration test, long machineBusyTicks) {

        static Cpu now(ChildApp app, Path dataDir) throws IOException {
            // pg_ctl detaches PostgreSQL from the app: its postmaster's pid is line 1 of postmaster.pid.
            long postmaster = Long.parseLong(postmasterPid(dataDir).get(0).strip());
            Duration postgres = ProcessHandle.of(postmaster).stream()
                    .flatMap(process -> Stream.concat(Stream.of(process), process.descendants()))
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
            String text = String.format("app %.2f, its PostgreSQL %.2f, provider double (test JVM) %.2f", app,
                    postgres, test);
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

    /** The GCs in the log after an offset: the heap used before and after each, in MB. */
    record Heap(double peakBeforeGcMb, double peakAfterGcMb, int collections, int fullCollections,
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

    private static List<String> postmasterPid(Path dataDir) throws IOException {
        return Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.split(" ")).filter(word -> !word.isBlank()).toList();
    }
}
