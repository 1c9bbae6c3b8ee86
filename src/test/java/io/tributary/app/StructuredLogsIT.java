package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.ChildApp;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import io.tributary.support.SalesforceConnections;
import io.tributary.support.SalesforceDouble;
import io.tributary.support.StripeEvents;
import io.tributary.support.SyncStatus;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app as it runs in production, with JSON logs switched on: a HubSpot sync through an expired
 * token, a 429 and a 503, a portal whose refresh token was revoked, a Salesforce sync through an
 * expired session and a rotated refresh token, Stripe deliveries forged and
 * genuine, a signing secret rotated. Every line is one JSON object; the lines of a sync name its
 * integration and run, the lines of a request its request id; no secret appears anywhere.
 */
class StructuredLogsIT {

    private static final String KEY = "trb_logs_test_api_key_0123456789";
    private static final String FIRST_SECRET = "whsec_logs_first_secret_0123456789";
    private static final String SECOND_SECRET = "whsec_logs_second_secret_0123456789";
    private static final Instant FIRST = Instant.now().minus(2, ChronoUnit.HOURS);

    @Test
    void jsonLinesNameTheirIntegrationRunAndRequestAndNeverASecret(@TempDir Path dataDir) throws Exception {
        byte[] masterKeyBytes = new byte[32];
        new SecureRandom().nextBytes(masterKeyBytes);
        String masterKey = Base64.getEncoder().encodeToString(masterKeyBytes);
        Path log;
        String healthy;
        String revoked;
        String stripe;
        String org;
        try (HubSpotDouble hubSpot = HubSpotDouble.start(); SalesforceDouble salesforce = SalesforceDouble.start()) {
            HubSpotDouble.Portal first = hubSpot.portal(7101, "logs-one.hubspot.com");
            first.generate("companies", 250, 1, FIRST, Duration.ofSeconds(1));
            first.generate("contacts", 120, 1, FIRST, Duration.ofSeconds(1));
            HubSpotDouble.Portal second = hubSpot.portal(7102, "logs-two.hubspot.com");
            second.generate("companies", 30, 1, FIRST, Duration.ofSeconds(1));
            SalesforceDouble.Org salesforceOrg = salesforce.org("00D000000000042AAA", false);
            salesforceOrg.generate("Account", 40, FIRST, Duration.ofSeconds(1));
            try (ChildApp app = ChildApp.start(List.of("-Xmx384m"), Map.of("TRIBUTARY_MASTER_KEY", masterKey),
                    "--tributary.data-dir=" + dataDir,
                    "--tributary.api-key=" + KEY,
                    "--logging.structured.format.console=ecs",
                    "--tributary.hubspot.client-id=" + HubSpotDouble.CLIENT_ID,
                    "--tributary.hubspot.client-secret=" + HubSpotDouble.CLIENT_SECRET,
                    "--tributary.hubspot.auth-base-url=" + hubSpot.baseUrl(),
                    "--tributary.hubspot.api-base-url=" + hubSpot.baseUrl(),
                    "--tributary.hubspot.retry-backoff=50ms",
                    "--tributary.salesforce.client-id=" + SalesforceDouble.CLIENT_ID,
                    "--tributary.salesforce.client-secret=" + SalesforceDouble.CLIENT_SECRET,
                    "--tributary.salesforce.production-login-url=" + salesforce.baseUrl(),
                    "--tributary.salesforce.api-version=" + SalesforceDouble.API_VERSION,
                    "--tributary.sync.worker-poll-interval=100",
                    "--camel.main.routes-reload-enabled=false")) {
                log = app.log();
                Api api = app.api(KEY);
                healthy = HubSpotConnections.connect(api, hubSpot, first, "Healthy");
                revoked = HubSpotConnections.connect(api, hubSpot, second, "Revoked");

                // The first portal's sync meets an expired token (refresh, retry), a 429 and a 503.
                hubSpot.expireAccessTokens();
                hubSpot.throttleNext(1, 1);
                hubSpot.failNext(1, 503);
                assertThat(sync(api, healthy, "companies", "contacts").status()).isEqualTo(202);
                JsonNode done = SyncStatus.awaitIdle(api, healthy);
                assertThat(done.at("/objects/companies/status").asText()).as(done.toString()).isEqualTo("succeeded");
                assertThat(done.at("/objects/contacts/status").asText()).as(done.toString()).isEqualTo("succeeded");
                assertThat(hubSpot.throttled()).isEqualTo(1);

                // The second portal's refresh token was revoked: its sync fails and asks for a reconnect.
                hubSpot.revokeRefreshTokens();
                hubSpot.expireAccessTokens();
                assertThat(sync(api, revoked, "companies").status()).isEqualTo(202);
                JsonNode failed = SyncStatus.awaitIdle(api, revoked);
                assertThat(failed.at("/objects/companies/status").asText()).as(failed.toString()).isEqualTo("failed");

                // The org's session expired (INVALID_SESSION_ID): one refresh, which rotates the refresh token.
                org = SalesforceConnections.connect(api, salesforce, salesforceOrg, "environment=production");
                salesforce.setRefreshTokenRotation(true);
                salesforce.expireAccessTokens();
                assertThat(api.post("/api/v1/integrations/" + org + "/sync", Map.of("backfill", "all")).status())
                        .isEqualTo(202);
                JsonNode synced = SyncStatus.awaitIdle(api, org);
                assertThat(synced.at("/objects/accounts/status").asText()).as(synced.toString()).isEqualTo("succeeded");
                assertThat(salesforce.tokenGrants("refresh_token")).isEqualTo(1);

                stripe = api.post("/api/v1/integrations", Map.of("provider", "stripe", "name", "Logs",
                        "config", Map.of("signing_secret", FIRST_SECRET))).json().get("id").asText();
                String event = StripeEvents.event("customer.created", StripeEvents.object("customer"),
                        Instant.now().getEpochSecond()).toString();
                assertThat(deliver(api, stripe, event, StripeEvents.signature(event, "whsec_forged_0123456789"))
                        .status()).isEqualTo(400);
                assertThat(deliver(api, stripe, event, StripeEvents.signature(event, FIRST_SECRET)).status())
                        .isEqualTo(200);
                assertThat(api.send(api.request("/api/v1/integrations/" + stripe)
                        .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers
                                .ofString("{\"config\":{\"signing_secret\":\"" + SECOND_SECRET + "\"}}")))
                        .status()).isEqualTo(200);
            }
            List<String> secrets = new ArrayList<>(hubSpot.issuedTokens());
            secrets.addAll(salesforce.issuedTokens());
            assertThat(secrets).as("the doubles issued tokens").hasSizeGreaterThan(8);
            secrets.addAll(List.of(HubSpotDouble.CLIENT_SECRET, SalesforceDouble.CLIENT_SECRET, FIRST_SECRET,
                    SECOND_SECRET, KEY, masterKey));
            String text = Files.readString(log);
            for (String secret : secrets) {
                assertThat(text).as("a secret in the log").doesNotContain(secret);
            }
        }

        List<JsonNode> lines = jsonLines(log);
        List<JsonNode> runLines = lines.stream().filter(line -> logger(line).equals("io.tributary.sync.SyncRunRepository")
                        || logger(line).startsWith("io.tributary.hubspot.")
                        || logger(line).startsWith("io.tributary.salesforce."))
                .toList();
        assertThat(runLines).as("sync lines").isNotEmpty();
        for (JsonNode line : runLines) {
            assertThat(line.path("integration_id").asText()).as(line.toString()).isIn(healthy, revoked, org);
            assertThat(line.path("sync_run_id").asText()).as(line.toString()).isNotEmpty();
        }
        assertThat(messages(runLines, healthy)).anyMatch(m -> m.contains("refreshing the access token"))
                .anyMatch(m -> m.contains("rate limit")).anyMatch(m -> m.contains("503"))
                .anyMatch(m -> m.contains("finished"));
        assertThat(messages(runLines, revoked)).anyMatch(m -> m.contains("failed"));
        assertThat(messages(runLines, org)).anyMatch(m -> m.contains("finished"));

        List<JsonNode> requestLines = lines.stream().filter(line -> thread(line).startsWith("http-nio")).toList();
        assertThat(requestLines).as("request lines").isNotEmpty();
        for (JsonNode line : requestLines) {
            assertThat(line.path("request_id").asText()).as(line.toString()).isNotEmpty();
        }
        assertThat(requestLines).anyMatch(line -> line.path("message").asText().contains("invalid signature")
                && line.path("integration_id").asText().equals(stripe));
    }

    private static Api.Response sync(Api api, String integrationId, String... objects) {
        return api.post("/api/v1/integrations/" + integrationId + "/sync",
                Map.of("objects", List.of(objects), "backfill", "30d"));
    }

    private static Api.Response deliver(Api api, String integrationId, String body, String signature) {
        return api.as(null).send(api.request("/webhooks/stripe/" + integrationId)
                .header("Content-Type", "application/json").header("Stripe-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Every line of the log, each of which must be one JSON object. */
    private static List<JsonNode> jsonLines(Path log) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode json;
            try {
                json = Api.JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
            assertThat(json.isObject()).as(line).isTrue();
            lines.add(json);
        }
        return lines;
    }

    private static List<String> messages(List<JsonNode> lines, String integrationId) {
        return lines.stream().filter(line -> line.path("integration_id").asText().equals(integrationId))
                .map(line -> line.path("message").asText()).toList();
    }

    /** ECS names a field with dots, which Spring Boot writes either flat or nested. */
    private static String field(JsonNode line, String name) {
        if (line.has(name)) {
            return line.get(name).asText();
        }
        JsonNode node = line;
        for (String part : name.split("\\.")) {
            node = node.path(part);
        }
        return node.asText();
    }

    private static String logger(JsonNode line) {
        return field(line, "log.logger");
    }

    private static String thread(JsonNode line) {
        return field(line, "process.thread.name");
    }
}
