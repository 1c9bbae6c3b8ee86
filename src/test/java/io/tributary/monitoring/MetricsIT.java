package io.tributary.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.Await;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import io.tributary.support.PrometheusScrape;
import io.tributary.support.StripeEvents;
import io.tributary.support.SyncStatus;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** /actuator/prometheus, scraped without credentials, moves exactly as the app works. */
class MetricsIT extends AppTest {

    private static final String SIGNING_SECRET = "whsec_metrics_test_secret_0042";
    private static final Instant RECENT = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @Autowired
    private CamelContext camel;

    @Autowired
    private JdbcClient jdbc;

    @BeforeEach
    void resetHubSpot() {
        HUBSPOT.reset();
    }

    @Test
    void ingestedRecordsAreCountedBySystemObjectTypeAndResult() {
        Api api = newWorkspace();
        assertThat(api.post("/api/v1/sources", Map.of("key", "metrics_crm", "display_name", "Metrics CRM")).status())
                .isEqualTo(201);
        PrometheusScrape before = scrape();

        ingest(api, record("invoice", "inv_1", 100), record("invoice", "inv_2", 200), record("refund", "ref_1", 5));
        ingest(api, record("invoice", "inv_1", 100), record("invoice", "inv_2", 250), record("refund", "ref_1", 5));

        PrometheusScrape after = scrape();
        // A pushed system's records count as one "custom" series: its names are the client's own words.
        assertThat(delta(before, after, "inserted")).isEqualTo(3);
        assertThat(delta(before, after, "updated")).isEqualTo(1);
        assertThat(delta(before, after, "unchanged")).isEqualTo(2);
        assertThat(delta(before, after, "failed")).isZero();
        assertThat(after.text()).doesNotContain("metrics_crm");

        // Camel's own route metrics: the ingest route ran once per batch.
        assertThat(after.value("camel_exchanges_total", "routeId", "ingest-records")
                - before.value("camel_exchanges_total", "routeId", "ingest-records")).isGreaterThanOrEqualTo(2);
        assertThat(after.matching("camel_route_policy_seconds_count", "routeId", "ingest-records")).isNotEmpty();
        assertNoSecrets(after);
    }

    @Test
    void webhookDeliveriesAndTheirProcessingAreCounted() {
        Api api = newWorkspace();
        Api.Response created = api.post("/api/v1/integrations", Map.of("provider", "stripe", "name", "Metrics",
                "config", Map.of("signing_secret", SIGNING_SECRET)));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        PrometheusScrape before = scrape();

        ObjectNode customer = StripeEvents.object("customer");
        customer.put("id", "cus_metrics_" + System.nanoTime());
        String body = StripeEvents.event("customer.created", customer, Instant.now().getEpochSecond()).toString();
        assertThat(deliver(id, body, StripeEvents.signature(body, SIGNING_SECRET)).status()).isEqualTo(200);
        assertThat(deliver(id, body, StripeEvents.signature(body, SIGNING_SECRET)).status()).isEqualTo(200);
        assertThat(deliver(id, body, StripeEvents.signature(body, "whsec_not_the_right_one_000")).status())
                .isEqualTo(400);
        Await.until(() -> api.get("/api/v1/records/stripe/customer/" + customer.get("id").asText()).status() == 200,
                Duration.ofSeconds(60));
        Await.until(() -> scrape().value("tributary_webhook_events_processed_total", "provider", "stripe")
                > before.value("tributary_webhook_events_processed_total", "provider", "stripe"), Duration.ofSeconds(60));

        PrometheusScrape after = scrape();
        assertThat(webhookDelta(before, after, "stored")).isEqualTo(1);
        assertThat(webhookDelta(before, after, "duplicate")).isEqualTo(1);
        assertThat(webhookDelta(before, after, "rejected")).isEqualTo(1);
        assertThat(after.value("tributary_webhook_events_processed_total", "provider", "stripe")
                - before.value("tributary_webhook_events_processed_total", "provider", "stripe")).isEqualTo(1);
        assertThat(after.value("tributary_webhook_events_failed_total", "provider", "stripe")
                - before.value("tributary_webhook_events_failed_total", "provider", "stripe")).isZero();
        assertThat(after.value("tributary_records_ingested_total", "system", "stripe", "object_type", "customer",
                "result", "inserted") - before.value("tributary_records_ingested_total", "system", "stripe",
                "object_type", "customer", "result", "inserted")).isEqualTo(1);
        assertNoSecrets(after);
    }

    @Test
    void aWebhookBatchRetriedOneByOneCountsEachRecordOnceWithItsFinalOutcome() throws Exception {
        Api api = newWorkspace();
        String id = api.post("/api/v1/integrations", Map.of("provider", "stripe", "name", "Metrics batch",
                "config", Map.of("signing_secret", SIGNING_SECRET))).json().get("id").asText();
        PrometheusScrape before = scrape();

        // Held back, so the worker's next poll claims the three events as one batch.
        camel.getRouteController().stopRoute("stripe-webhook-worker");
        try {
            for (int i = 0; i < 3; i++) {
                ObjectNode customer = StripeEvents.object("customer");
                // PostgreSQL's text cannot hold a NUL character: the store refuses the statement of this id.
                customer.put("id", "cus_batch_" + (i == 1 ? "nul\0" : "") + i + "_" + System.nanoTime());
                String body = StripeEvents.event("customer.created", customer, Instant.now().getEpochSecond())
                        .toString();
                assertThat(deliver(id, body, StripeEvents.signature(body, SIGNING_SECRET)).status()).isEqualTo(200);
            }
        } finally {
            camel.getRouteController().startRoute("stripe-webhook-worker");
        }
        // Settled events are counted once their transaction committed: wait for those counters too.
        Await.until(() -> events(api, id, "processed") == 2 && events(api, id, "failed") == 1
                && delta(before, scrape(), "tributary_webhook_events_failed_total", "provider", "stripe") >= 1,
                Duration.ofSeconds(30));

        // Scraped before the failed event's retry is due (the backoff's first step is seconds away).
        PrometheusScrape after = scrape();
        assertThat(delta(before, after, "tributary_records_ingested_total", "system", "stripe",
                "object_type", "customer", "result", "inserted")).isEqualTo(2);
        assertThat(delta(before, after, "tributary_records_ingested_total", "system", "stripe",
                "object_type", "customer", "result", "failed")).isEqualTo(1);
        assertThat(delta(before, after, "tributary_webhook_events_processed_total", "provider", "stripe"))
                .isEqualTo(2);
        assertThat(delta(before, after, "tributary_webhook_events_failed_total", "provider", "stripe"))
                .isEqualTo(1);
        // Otherwise the shared app retries the poisoned event for minutes, into other tests' logs and counters.
        jdbc.sql("DELETE FROM webhook_events WHERE integration_id = ?").param(UUID.fromString(id)).update();
    }

    @Test
    void hubSpotRequestsRateLimitsSyncRunsAndTokenRefreshesAreCounted() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8801, "metrics.hubspot.com");
        portal.generate("companies", 450, 1, RECENT, Duration.ofSeconds(1));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Metrics");
        PrometheusScrape before = scrape();
        int requestsBefore = HUBSPOT.requests("/");

        HUBSPOT.throttleNext(2, 1);
        syncCompanies(api, id);
        assertThat(HUBSPOT.throttled()).isEqualTo(2);
        PrometheusScrape afterThrottling = scrape();
        assertThat(delta(before, afterThrottling, "tributary_provider_rate_limited_total", "provider", "hubspot"))
                .isEqualTo(2);
        assertThat(delta(before, afterThrottling, "tributary_provider_requests_total", "provider", "hubspot",
                "outcome", "4xx")).isEqualTo(2);
        assertThat(delta(before, afterThrottling, "tributary_provider_requests_total", "provider", "hubspot"))
                .isEqualTo(HUBSPOT.requests("/") - requestsBefore);
        assertThat(delta(before, afterThrottling, "tributary_sync_run_duration_seconds_count", "provider", "hubspot",
                "object_type", "companies", "status", "succeeded")).isEqualTo(1);
        assertThat(delta(before, afterThrottling, "tributary_records_ingested_total", "system", "hubspot",
                "object_type", "company", "result", "inserted")).isEqualTo(450);

        // An access token HubSpot no longer accepts: one refresh, then the sync goes on.
        HUBSPOT.expireAccessTokens();
        api.post("/api/v1/integrations/" + id + "/cursor/reset", Map.of("object", "companies"));
        syncCompanies(api, id);
        assertThat(HUBSPOT.tokenGrants("refresh_token")).isEqualTo(1);
        PrometheusScrape afterRefresh = scrape();
        assertThat(delta(afterThrottling, afterRefresh, "tributary_token_refreshes_total", "provider", "hubspot",
                "result", "success")).isEqualTo(1);
        assertThat(delta(afterThrottling, afterRefresh, "tributary_records_ingested_total", "system", "hubspot",
                "object_type", "company", "result", "unchanged")).isEqualTo(450);

        // A refresh token HubSpot refuses: the integration needs a reconnect.
        HUBSPOT.revokeRefreshTokens();
        HUBSPOT.expireAccessTokens();
        syncCompanies(api, id);
        PrometheusScrape afterRevoke = scrape();
        assertThat(delta(afterRefresh, afterRevoke, "tributary_token_refreshes_total", "provider", "hubspot",
                "result", "reauth_required")).isEqualTo(1);
        assertThat(delta(afterRefresh, afterRevoke, "tributary_sync_run_duration_seconds_count", "provider",
                "hubspot", "object_type", "companies", "status", "failed")).isEqualTo(1);
        assertNoSecrets(afterRevoke);
    }

    private PrometheusScrape scrape() {
        return PrometheusScrape.of(anonymous());
    }

    private static double delta(PrometheusScrape before, PrometheusScrape after, String result) {
        return delta(before, after, "tributary_records_ingested_total", "system", "custom",
                "object_type", "custom", "result", result);
    }

    private static double webhookDelta(PrometheusScrape before, PrometheusScrape after, String result) {
        return delta(before, after, "tributary_webhook_events_received_total", "provider", "stripe", "result", result);
    }

    private static double delta(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private static Map<String, Object> record(String objectType, String objectId, int amount) {
        return Map.of("system", "metrics_crm", "object_type", objectType, "object_id", objectId,
                "payload", Map.of("amount", amount));
    }

    @SafeVarargs
    private static void ingest(Api api, Map<String, Object>... records) {
        Api.Response response = api.post("/api/v1/ingest/batch", Map.of("records", List.of(records)));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    private Api.Response deliver(String integrationId, String body, String signature) {
        Api anonymous = anonymous();
        return anonymous.send(anonymous.request("/webhooks/stripe/" + integrationId)
                .header("Content-Type", "application/json").header("Stripe-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static int events(Api api, String integrationId, String status) {
        return api.get("/api/v1/webhook-events?integration_id=" + integrationId + "&status=" + status)
                .json().get("items").size();
    }

    private static void syncCompanies(Api api, String integrationId) {
        Api.Response queued = api.post("/api/v1/integrations/" + integrationId + "/sync",
                Map.of("objects", List.of("companies")));
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        JsonNode status = SyncStatus.awaitIdle(api, integrationId);
        assertThat(status.get("objects").get("companies").get("status").asText()).isIn("succeeded", "failed");
    }

    /** No secret the test knows of, and no HubSpot refresh token (the double's are "na1-…"), in the scrape. */
    private static void assertNoSecrets(PrometheusScrape scrape) {
        assertThat(scrape.text()).doesNotContain(SIGNING_SECRET, HubSpotDouble.CLIENT_SECRET, ADMIN_TOKEN,
                CONSOLE_PASSWORD, "whsec_", "na1-", "Bearer");
    }
}
