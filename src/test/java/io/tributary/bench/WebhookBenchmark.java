package io.tributary.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.support.Api;
import io.tributary.support.RunningApp;
import io.tributary.support.StripeEvents;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Fires correctly signed, distinct Stripe events at POST /webhooks/stripe/{id} with wrk (Debian
 * package "wrk": a C load generator, so the load takes little CPU from the app on a 2-core machine),
 * prints events/s and acknowledgement latency, then waits for the worker and checks that every
 * acknowledged event was stored exactly once and processed into its record.
 * Run: mvn -B -Pbench test -Dtest=WebhookBenchmark [-Dbench.seconds=15 -Dbench.clients=8]
 */
@Tag("benchmark")
class WebhookBenchmark {

    private static final String KEY = "trb_webhook_benchmark_0123456789";
    private static final String SECRET = "whsec_benchmark_secret_000001";
    // More pre-signed events than a run can send, so no event is ever sent twice.
    private static final int EVENTS_PER_SECOND_CEILING = 4_000;

    @Test
    void signedEventsPerSecondAndAcknowledgementLatency(@TempDir Path dataDir) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 15);
        int clients = Integer.getInteger("bench.clients", 8);
        List<String> args = new ArrayList<>(List.of("--tributary.data-dir=" + dataDir, "--tributary.api-key=" + KEY,
                "--logging.level.root=WARN"));
        // Extra app arguments to try a configuration, e.g. -Dbench.args="--tributary.stripe.worker-batch-size=200"
        args.addAll(Arrays.stream(System.getProperty("bench.args", "").split(" ")).filter(a -> !a.isBlank()).toList());
        try (RunningApp app = RunningApp.start(args.toArray(String[]::new))) {
            Api api = app.api(KEY);
            String id = api.post("/api/v1/integrations", Map.of("provider", "stripe", "name", "Bench",
                    "config", Map.of("signing_secret", SECRET))).json().get("id").asText();
            String url = "http://localhost:" + app.port() + "/";

            // Warm-up: JIT and PostgreSQL caches; its events are left out of the figures.
            int warmSeconds = Integer.getInteger("bench.warmup-seconds", 15);
            wrk(url, script(dataDir, id, "warm", warmSeconds * EVENTS_PER_SECOND_CEILING), clients, warmSeconds);
            JdbcClient jdbc = app.bean(JdbcClient.class);
            long warm = awaitProcessed(jdbc, count(jdbc, "SELECT count(*) FROM webhook_events"));

            String report = wrk(url, script(dataDir, id, "run", seconds * EVENTS_PER_SECOND_CEILING), clients, seconds);
            long sent = number(report, "(\\d+) requests in");
            double perSecond = Double.parseDouble(match(report, "Requests/sec:\\s+([\\d.]+)"));
            long refused = report.contains("Non-2xx") ? number(report, "Non-2xx or 3xx responses: (\\d+)") : 0;
            long start = System.nanoTime();
            long processed = awaitProcessed(jdbc, count(jdbc, "SELECT count(*) FROM webhook_events")) - warm;
            double drain = (System.nanoTime() - start) / 1e9;

            long stored = count(jdbc, "SELECT count(*) FROM webhook_events WHERE event_id LIKE 'evt_run_%'");
            long distinct = count(jdbc, "SELECT count(DISTINCT event_id) FROM webhook_events WHERE event_id LIKE 'evt_run_%'");
            long records = count(jdbc, "SELECT count(*) FROM source_records WHERE object_id LIKE 'cus_run_%'");
            System.out.printf("%n=== Webhook benchmark: %d s of distinct signed events, %d connections, %d cores ===%n",
                    seconds, clients, Runtime.getRuntime().availableProcessors());
            System.out.printf("acknowledged         : %,10.0f events/s (%,d events, %,d refused)%n", perSecond, sent,
                    refused);
            System.out.printf("ack latency p50      : %10s%n", match(report, "\\s50%\\s+(\\S+)"));
            System.out.printf("ack latency p90      : %10s%n", match(report, "\\s90%\\s+(\\S+)"));
            System.out.printf("ack latency p99      : %10s  (target <= 50ms)%n", match(report, "\\s99%\\s+(\\S+)"));
            System.out.printf("worker caught up     : %10.1f s after the last request%n", drain);
            System.out.printf("sent / stored / distinct / processed / records: %,d / %,d / %,d / %,d / %,d%n%n",
                    sent, stored, distinct, processed, records);
            assertThat(refused).isZero();
            // wrk counts the requests answered within the run; up to one per connection was still in flight.
            assertThat(stored).as("every acknowledged event stored").isBetween(sent, sent + clients);
            assertThat(distinct).as("stored exactly once").isEqualTo(stored);
            assertThat(processed).as("all processed").isEqualTo(stored);
            assertThat(records).as("one record per event").isEqualTo(stored);
        }
    }

    /** A wrk script that sends each of n pre-signed, distinct events once, in order. */
    private static Path script(Path dir, String integrationId, String prefix, int n) throws IOException {
        Path script = dir.resolve(prefix + ".lua");
        try (Writer lua = Files.newBufferedWriter(script, StandardCharsets.UTF_8)) {
            lua.write("local requests = {}\n");
            for (int i = 0; i < n; i++) {
                var customer = StripeEvents.object("customer").put("id", "cus_" + prefix + "_" + i);
                var event = StripeEvents.event("customer.created", customer, 1_732_000_000L);
                event.put("id", "evt_" + prefix + "_" + i);
                String body = event.toString();
                String request = "POST /webhooks/stripe/" + integrationId + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nStripe-Signature: " + StripeEvents.signature(body, SECRET)
                        + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
                lua.write("requests[" + (i + 1) + "] = " + Api.JSON.writeValueAsString(request) + "\n");
            }
            lua.write("""
                    local next = 0
                    request = function()
                      next = next + 1
                      return requests[next]
                    end
                    """);
        }
        return script;
    }

    private static String wrk(String url, Path script, int connections, int seconds) throws Exception {
        Process wrk;
        try {
            wrk = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency",
                    "-s", script.toString(), url).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("This benchmark needs wrk: apt-get install wrk", e);
        }
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(wrk.waitFor(seconds + 60L, TimeUnit.SECONDS)).isTrue();
        assertThat(wrk.exitValue()).as(output).isZero();
        return output;
    }

    private static long awaitProcessed(JdbcClient jdbc, long expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        long processed;
        do {
            Thread.sleep(100);
            processed = count(jdbc, "SELECT count(*) FROM webhook_events WHERE status = 'processed'");
        } while (processed < expected && Instant.now().isBefore(deadline));
        return processed;
    }

    private static String match(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            throw new AssertionError("No " + regex + " in wrk's report:\n" + text);
        }
        return matcher.group(1);
    }

    private static long number(String text, String regex) {
        return Long.parseLong(match(text, regex));
    }

    private static long count(JdbcClient jdbc, String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
