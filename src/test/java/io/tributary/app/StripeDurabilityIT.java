package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.support.Api;
import io.tributary.support.RunningApp;
import io.tributary.support.StripeEvents;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an acknowledged event survives: the app stopping before processing it, and the database process dying. */
class StripeDurabilityIT {

    private static final String KEY = "trb_durability_test_0123456789";
    private static final String SECRET = "whsec_durability_secret_00001";

    @Test
    void eventsReceivedWhileProcessingWasDownAreProcessedAfterARestart(@TempDir Path dataDir) throws Exception {
        String integrationId;
        List<String> customerIds = new ArrayList<>();
        try (RunningApp app = start(dataDir)) {
            app.bean(CamelContext.class).getRouteController().stopRoute("stripe-webhook-worker");
            integrationId = createStripe(app.api(KEY));
            for (int i = 0; i < 3; i++) {
                var customer = StripeEvents.object("customer").put("id", "cus_restart_" + i);
                customerIds.add(customer.get("id").asText());
                String body = StripeEvents.event("customer.created", customer, 1_732_000_000L).toString();
                assertThat(deliver(app, integrationId, body).json().get("status").asText()).isEqualTo("received");
            }
            assertThat(app.api(KEY).get("/api/v1/webhook-events?status=received").json().get("items")).hasSize(3);
        }

        try (RunningApp app = start(dataDir)) {
            Api api = app.api(KEY);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (api.get("/api/v1/webhook-events?status=processed").json().get("items").size() < 3
                    && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(api.get("/api/v1/webhook-events?status=processed").json().get("items")).hasSize(3);
            for (String customerId : customerIds) {
                assertThat(api.get("/api/v1/records/stripe/customer/" + customerId).json().get("integration_id")
                        .asText()).isEqualTo(integrationId);
            }
        }
    }

    @Test
    void anAcknowledgedEventSurvivesTheDatabaseProcessBeingKilled(@TempDir Path dataDir) throws Exception {
        String body;
        RunningApp app = start(dataDir);
        try {
            app.bean(CamelContext.class).getRouteController().stopRoute("stripe-webhook-worker");
            String integrationId = createStripe(app.api(KEY));
            body = StripeEvents.event("invoice.paid", StripeEvents.object("invoice"), 1_732_000_000L).toString();
            assertThat(deliver(app, integrationId, body).status()).isEqualTo(200);

            // kill -9 of the postmaster right after the 200: only what reached the WAL on disk survives.
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).strip());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
            postmaster.destroyForcibly();
            postmaster.onExit().get();
        } finally {
            closeQuietly(app);
        }

        try (EmbeddedPostgres recovered = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false).start();
             Connection connection = recovered.getPostgresDatabase().getConnection();
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT count(*), min(status) FROM webhook_events")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
            assertThat(rows.getString(2)).isEqualTo("received");
        }
    }

    private static RunningApp start(Path dataDir) {
        return RunningApp.start("--tributary.data-dir=" + dataDir, "--tributary.api-key=" + KEY);
    }

    private static String createStripe(Api api) {
        return api.post("/api/v1/integrations", Map.of("provider", "stripe", "name", "Live",
                "config", Map.of("signing_secret", SECRET))).json().get("id").asText();
    }

    private static Api.Response deliver(RunningApp app, String integrationId, String body) {
        return StripeEvents.deliver(app.api(null), integrationId, body, SECRET);
    }

    /** The app's own database is gone, so its shutdown may complain; that is the point of the test. */
    private static void closeQuietly(RunningApp app) {
        try {
            app.close();
        } catch (RuntimeException expected) {
            // stopping an already killed PostgreSQL fails
        }
    }
}
