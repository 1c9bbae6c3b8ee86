package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.stripe.WebhookEventWorker;
import io.tributary.support.Api;
import io.tributary.support.RunningApp;
import io.tributary.support.StripeEvents;
import io.tributary.sync.SyncWorker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL is stopped and started again while Stripe keeps delivering: deliveries during the
 * outage are answered 503 with Retry-After within 5 s, the app recovers by itself, and every event
 * that was acknowledged (or delivered again after a 503, as Stripe does) is stored once and processed.
 */
class DatabaseOutageIT {

    private static final String KEY = "trb_outage_test_0123456789abcd";
    private static final String SECRET = "whsec_outage_secret_000000001";
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(5);

    /** One delivery as the sender saw it. */
    private record Delivery(String eventId, String customerId, String body, long startNanos, long endNanos,
                            Api.Response response) {

        Duration took() {
            return Duration.ofNanos(endNanos - startNanos);
        }
    }

    @TempDir
    Path dir;

    @Test
    void webhooksDuringARestartAreAnswered503AndNothingAcknowledgedIsLost() throws Exception {
        int port = freePort();
        Path pgData = dir.resolve("postgres");
        EmbeddedPostgres postgres = startPostgres(pgData, port);
        ListAppender<ILoggingEvent> workerLog = null;
        ListAppender<ILoggingEvent> syncLog = null;
        try (RunningApp app = RunningApp.start(
                "--spring.datasource.url=jdbc:postgresql://localhost:" + port + "/postgres?reWriteBatchedInserts=true",
                "--spring.datasource.username=postgres",
                "--tributary.master-key=" + masterKey(),
                "--tributary.api-key=" + KEY)) {
            // How this app's Camel names its threads, e.g. "Camel (camel-2) thread #7 - …": the part up to "thread".
            String threads = app.bean(CamelContext.class).getExecutorServiceManager().resolveThreadName("probe")
                    .replaceFirst("thread .*", "");
            workerLog = capture(WebhookEventWorker.class, threads);
            syncLog = capture(SyncWorker.class, threads);
            Api api = app.api(KEY);
            String integrationId = api.post("/api/v1/integrations", Map.of("provider", "stripe", "name", "Live",
                    "config", Map.of("signing_secret", SECRET))).json().get("id").asText();

            ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> senderFailures = new ConcurrentLinkedQueue<>();
            AtomicBoolean sending = new AtomicBoolean(true);
            List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                int sender = s;
                Thread thread = new Thread(() -> {
                    try {
                        for (int n = 0; sending.get(); n++) {
                            deliveries.add(deliverNew(app, integrationId, "cus_outage_" + sender + "_" + n));
                            pause(Duration.ofMillis(50));
                        }
                    } catch (RuntimeException e) {
                        senderFailures.add(e);
                    }
                }, "stripe-sender-" + s);
                thread.start();
                senders.add(thread);
            }
            awaitTrue(Duration.ofSeconds(60), () -> count(deliveries, 200) >= 10);

            postgres.close(); // pg_ctl stop -m fast
            long outageStart = System.nanoTime();
            pause(Duration.ofSeconds(4));
            long apiStart = System.nanoTime();
            Api.Response apiDuringOutage = api.get("/api/v1/records?system=stripe&limit=10");
            Duration apiTook = Duration.ofNanos(System.nanoTime() - apiStart);
            long outageEnd = System.nanoTime();

            postgres = startPostgres(pgData, port);
            long restartedAt = System.currentTimeMillis();
            long restarted = System.nanoTime();
            awaitTrue(Duration.ofSeconds(60), () -> deliveries.stream()
                    .filter(d -> d.startNanos() > restarted && d.response().status() == 200).count() >= 10);
            Duration recovery = Duration.ofNanos(deliveries.stream()
                    .filter(d -> d.startNanos() > restarted && d.response().status() == 200)
                    .mapToLong(Delivery::endNanos).min().orElseThrow() - restarted);
            sending.set(false);
            for (Thread thread : senders) {
                thread.join();
            }

            assertThat(senderFailures).as("every delivery got an HTTP answer").isEmpty();

            // During the outage: 503 with Retry-After and the JSON error shape, each within the bound.
            List<Delivery> duringOutage = deliveries.stream()
                    .filter(d -> d.startNanos() > outageStart && d.endNanos() < outageEnd).toList();
            assertThat(duringOutage).hasSizeGreaterThanOrEqualTo(2);
            duringOutage.forEach(d -> assertServiceUnavailable(d.response()));
            assertServiceUnavailable(apiDuringOutage);
            assertThat(apiTook).isLessThan(ANSWER_BOUND);
            assertThat(deliveries).allSatisfy(d -> {
                assertThat(d.response().status()).as("never a 500: %s", d.response()).isIn(200, 503);
                assertThat(d.took()).as("answered within %s", ANSWER_BOUND).isLessThan(ANSWER_BOUND);
            });
            assertThat(recovery).isLessThan(Duration.ofSeconds(30));

            // Stripe delivers every refused event again; each is then acknowledged.
            Map<String, String> acknowledged = new HashMap<>();
            for (Delivery d : deliveries) {
                Api.Response answer = d.response().status() == 200 ? d.response()
                        : deliver(app, integrationId, d.body());
                assertThat(answer.status()).as("redelivery of %s", d.eventId()).isEqualTo(200);
                acknowledged.put(d.eventId(), d.customerId());
            }

            // Every acknowledged event is stored once, processed, and its record written once.
            awaitTrue(Duration.ofSeconds(90), () -> single(port,
                    "SELECT count(*) FROM webhook_events WHERE status = 'processed'") >= acknowledged.size());
            Map<String, Integer> storedEvents = countBy(port,
                    "SELECT event_id, count(*) FROM webhook_events WHERE status = 'processed' GROUP BY event_id");
            Map<String, Integer> records = countBy(port, "SELECT object_id, count(*) FROM source_records"
                    + " WHERE system = 'stripe' AND object_type = 'customer' GROUP BY object_id");
            assertThat(storedEvents).hasSize(acknowledged.size());
            acknowledged.forEach((eventId, customerId) -> {
                assertThat(storedEvents.get(eventId)).as("event %s", eventId).isEqualTo(1);
                assertThat(records.get(customerId)).as("record %s", customerId).isEqualTo(1);
            });

            // Quartz's clustered job store checks in again by itself.
            awaitTrue(Duration.ofSeconds(60), () -> single(port,
                    "SELECT coalesce(max(last_checkin_time), 0) FROM qrtz_scheduler_state") > restartedAt);

            // The timer routes logged the outage once when it began and once when it ended.
            assertOneWarningAndOneRecovery(workerLog, "stripe-webhook-worker");
            assertOneWarningAndOneRecovery(syncLog, "sync-worker");
        } finally {
            detach(WebhookEventWorker.class, workerLog);
            detach(SyncWorker.class, syncLog);
            postgres.close();
        }
    }

    private static void assertServiceUnavailable(Api.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(503);
        assertThat(response.header("Retry-After")).isNotBlank();
        JsonNode body = response.json();
        assertThat(body.get("error").asText()).isEqualTo("service_unavailable");
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.get("request_id").asText()).isEqualTo(response.header("X-Request-Id"));
        assertThat(response.text()).doesNotContainIgnoringCase("select").doesNotContainIgnoringCase("insert")
                .doesNotContain(SECRET);
    }

    private static void assertOneWarningAndOneRecovery(ListAppender<ILoggingEvent> log, String subject) {
        List<ILoggingEvent> events = List.copyOf(log.list);
        assertThat(events).filteredOn(e -> e.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage)
                .singleElement().asString().startsWith(subject + ": the database is unavailable");
        assertThat(events).filteredOn(e -> e.getLevel() == Level.INFO)
                .extracting(ILoggingEvent::getFormattedMessage)
                .singleElement().asString().startsWith(subject + ": the database is available again");
    }

    private static Delivery deliverNew(RunningApp app, String integrationId, String customerId) {
        var customer = StripeEvents.object("customer").put("id", customerId);
        JsonNode event = StripeEvents.event("customer.created", customer, 1_732_000_000L);
        String body = event.toString();
        long start = System.nanoTime();
        Api.Response response = deliver(app, integrationId, body);
        return new Delivery(event.get("id").asText(), customerId, body, start, System.nanoTime(), response);
    }

    private static Api.Response deliver(RunningApp app, String integrationId, String body) {
        return StripeEvents.deliver(app.api(null), integrationId, body, SECRET);
    }

    private static long count(ConcurrentLinkedQueue<Delivery> deliveries, int status) {
        return deliveries.stream().filter(d -> d.response().status() == status).count();
    }

    /** The test's own PostgreSQL on a fixed port, so it can be stopped and started again under the app. */
    private static EmbeddedPostgres startPostgres(Path dataDir, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                // An acknowledged write must survive the stop.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    private static long single(int port, String sql) {
        try (Connection connection = connect(port);
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Integer> countBy(int port, String sql) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection connection = connect(port);
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getInt(2));
            }
        }
        return counts;
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
    }

    /**
     * The source's log lines on the threads of one CamelContext (the worker timers run there), whose
     * names start with threadPrefix: other apps in this JVM (the shared test app) log through the same loggers.
     */
    private static ListAppender<ILoggingEvent> capture(Class<?> source, String threadPrefix) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getThreadName().startsWith(threadPrefix)) {
                    super.append(event);
                }
            }
        };
        appender.start();
        ((Logger) LoggerFactory.getLogger(source)).addAppender(appender);
        return appender;
    }

    private static void detach(Class<?> source, ListAppender<ILoggingEvent> appender) {
        if (appender != null) {
            ((Logger) LoggerFactory.getLogger(source)).detachAppender(appender);
        }
    }

    private static String masterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitTrue(Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within %s", timeout).isLessThan(deadline);
            pause(Duration.ofMillis(100));
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
