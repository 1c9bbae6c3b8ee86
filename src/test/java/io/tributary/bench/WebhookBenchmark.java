package io.tributary.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.support.Api;
import io.tributary.support.RunningApp;
import io.tributary.support.StripeEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Fires correctly signed, distinct Stripe events at POST /webhooks/stripe/{id} from concurrent
 * clients, prints events/s and acknowledgement latency, then waits for the worker and checks that
 * every event was stored exactly once and processed into its record.
 * Run: mvn -B -Pbench test -Dtest=WebhookBenchmark [-Dbench.events=30000 -Dbench.clients=16]
 */
@Tag("benchmark")
class WebhookBenchmark {

    private static final String KEY = "trb_webhook_benchmark_0123456789";
    private static final String SECRET = "whsec_benchmark_secret_000001";

    @Test
    void signedEventsPerSecondAndAcknowledgementLatency(@TempDir Path dataDir) throws Exception {
        int events = Integer.getInteger("bench.events", 30_000);
        int clients = Integer.getInteger("bench.clients", 16);
        try (RunningApp app = RunningApp.start("--tributary.data-dir=" + dataDir, "--tributary.api-key=" + KEY,
                "--logging.level.root=WARN")) {
            Api api = app.api(KEY);
            String id = api.post("/api/v1/integrations", Map.of("provider", "stripe", "name", "Bench",
                    "config", Map.of("signing_secret", SECRET))).json().get("id").asText();
            List<String> bodies = new ArrayList<>(events);
            for (int i = 0; i < events; i++) {
                var customer = StripeEvents.object("customer").put("id", "cus_bench_" + i);
                bodies.add(StripeEvents.event("customer.created", customer, 1_732_000_000L).toString());
            }
            fire(app, id, bodies.subList(0, Math.min(2_000, events)), clients, new long[Math.min(2_000, events)]);

            long[] latencies = new long[events];
            long start = System.nanoTime();
            fire(app, id, bodies, clients, latencies);
            double seconds = (System.nanoTime() - start) / 1e9;

            JdbcClient jdbc = app.bean(JdbcClient.class);
            Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
            long processed;
            do {
                Thread.sleep(200);
                processed = count(jdbc, "SELECT count(*) FROM webhook_events WHERE status = 'processed'");
            } while (processed < events && Instant.now().isBefore(deadline));
            double drainSeconds = (System.nanoTime() - start) / 1e9;

            Arrays.sort(latencies);
            long stored = count(jdbc, "SELECT count(*) FROM webhook_events");
            long distinct = count(jdbc, "SELECT count(DISTINCT event_id) FROM webhook_events");
            long records = count(jdbc, "SELECT count(*) FROM source_records WHERE system = 'stripe'");
            System.out.printf("%n=== Webhook benchmark: %,d distinct signed events, %d clients, %d cores ===%n",
                    events, clients, Runtime.getRuntime().availableProcessors());
            System.out.printf("acknowledged        : %,10.0f events/s (%.1f s)%n", events / seconds, seconds);
            System.out.printf("ack latency p50     : %10.1f ms%n", latencies[events / 2] / 1e6);
            System.out.printf("ack latency p99     : %10.1f ms  (target <= 50)%n", latencies[(int) (events * 0.99)] / 1e6);
            System.out.printf("ack latency max     : %10.1f ms%n", latencies[events - 1] / 1e6);
            System.out.printf("all processed after : %10.1f s%n", drainSeconds);
            System.out.printf("stored / distinct / processed / records: %,d / %,d / %,d / %,d (warm-up included: %,d)%n%n",
                    stored, distinct, processed, records, Math.min(2_000, events));
            assertThat(stored).as("stored exactly once").isEqualTo(events);
            assertThat(distinct).isEqualTo(events);
            assertThat(processed).as("all processed").isEqualTo(events);
            assertThat(records).isEqualTo(events);
        }
    }

    /** Sends every body once over kept-alive connections in parallel, recording each acknowledgement's latency. */
    private static void fire(RunningApp app, String integrationId, List<String> bodies, int clients,
                             long[] latencies) throws Exception {
        // Signed just before sending starts: the run is far shorter than the 300 s tolerance.
        List<byte[]> requests = new ArrayList<>(bodies.size());
        for (String body : bodies) {
            requests.add(RawHttpConnection.post("/webhooks/stripe/" + integrationId, "application/json",
                    "Stripe-Signature: " + StripeEvents.signature(body, SECRET) + "\r\n",
                    body.getBytes(StandardCharsets.UTF_8)));
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    try (RawHttpConnection connection = new RawHttpConnection(app.port())) {
                        for (int i = next.getAndIncrement(); i < requests.size(); i = next.getAndIncrement()) {
                            long sent = System.nanoTime();
                            RawHttpConnection.Response response = connection.send(requests.get(i));
                            latencies[i] = System.nanoTime() - sent;
                            if (response.status() != 200) {
                                throw new IllegalStateException("Delivery refused: " + response);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static long count(JdbcClient jdbc, String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
