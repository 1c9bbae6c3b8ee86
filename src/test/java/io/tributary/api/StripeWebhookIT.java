package io.tributary.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.stripe.StripeEndpointCache;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.Await;
import io.tributary.support.StripeEvents;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class StripeWebhookIT extends AppTest {

    private static final String SECRET = "whsec_live_account_secret_0001";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StripeEndpointCache endpoints;

    @Test
    void createsStripeIntegrationsAndNeverShowsTheirSecret() {
        Api api = newWorkspace();
        Api.Response created = createStripe(api, "Live account", SECRET);

        assertThat(created.status()).isEqualTo(201);
        JsonNode integration = created.json();
        String id = integration.get("id").asText();
        assertThat(integration.get("provider").asText()).isEqualTo("stripe");
        assertThat(integration.get("name").asText()).isEqualTo("Live account");
        assertThat(integration.get("status").asText()).isEqualTo("connected");
        assertThat(integration.get("webhook_path").asText()).isEqualTo("/webhooks/stripe/" + id);
        assertThat(createStripe(api, "Test account", "whsec_test_account_secret_02").status()).isEqualTo(201);

        Api.Response one = api.get("/api/v1/integrations/" + id);
        Api.Response list = api.get("/api/v1/integrations");
        assertThat(list.json().get("items")).hasSize(2);
        for (Api.Response response : List.of(created, one, list)) {
            assertThat(response.text()).doesNotContain(SECRET, "whsec_test_account", "signing_secret");
        }
        byte[] stored = jdbc.sql("SELECT credentials FROM integrations WHERE id = ?").param(UUID.fromString(id))
                .query(byte[].class).single();
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("whsec_");
    }

    @Test
    void refusesBadIntegrationRequests() {
        Api api = newWorkspace();
        assertField(api.post("/api/v1/integrations", Map.of("provider", "stripe", "name", "x")), "config");
        assertField(api.post("/api/v1/integrations", Map.of("provider", "stripe", "name", "x",
                "config", Map.of("signing_secret", "sk_live_notawebhooksecret"))), "config.signing_secret");
        assertField(api.post("/api/v1/integrations", Map.of("provider", "stripe",
                "config", Map.of("signing_secret", SECRET))), "name");
        assertField(api.post("/api/v1/integrations", Map.of("provider", "hubspot", "name", "x")), "provider");
        assertField(api.post("/api/v1/integrations", Map.of("provider", "zendesk", "name", "x")), "provider");
        Api.Response leaked = api.post("/api/v1/integrations", Map.of("provider", "stripe", "name", "x",
                "config", Map.of("signing_secret", "sk_live_notawebhooksecret")));
        assertThat(leaked.text()).doesNotContain("sk_live_notawebhooksecret");
        assertThat(api.get("/api/v1/integrations").json().get("items")).isEmpty();
    }

    @Test
    void anotherWorkspacesIntegrationIsNotFound() {
        Api owner = newWorkspace();
        Api other = newWorkspace();
        String id = createStripe(owner, "Live", SECRET).json().get("id").asText();

        assertThat(other.get("/api/v1/integrations/" + id).status()).isEqualTo(404);
        assertThat(other.post("/api/v1/integrations/" + id, "{}").status()).isIn(404, 405);
        Api.Response patch = other.send(other.request("/api/v1/integrations/" + id)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"stolen\"}")));
        assertThat(patch.status()).isEqualTo(404);
        assertThat(owner.get("/api/v1/integrations/" + id).json().get("name").asText()).isEqualTo("Live");
        assertThat(other.get("/api/v1/integrations").json().get("items")).isEmpty();
        assertThat(other.get("/api/v1/integrations/not-a-uuid").status()).isEqualTo(422);
    }

    @Test
    void anEventIsStoredOnceAndProcessedIntoARecord() {
        Api api = newWorkspace();
        String id = createStripe(api, "Live", SECRET).json().get("id").asText();
        ObjectNode customer = StripeEvents.object("customer");
        String body = StripeEvents.event("customer.created", customer, 1_732_000_000L).toString();

        Api.Response first = deliver(id, body, StripeEvents.signature(body, SECRET));
        Api.Response again = deliver(id, body, StripeEvents.signature(body, SECRET));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("status").asText()).isEqualTo("received");
        assertThat(first.json().get("request_id").asText()).isEqualTo(first.header("X-Request-Id"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("status").asText()).isEqualTo("already_received");
        assertThat(storedEvents(id)).isEqualTo(1);

        JsonNode record = awaitRecord(api, "/api/v1/records/stripe/customer/" + customer.get("id").asText(),
                r -> true);
        assertThat(record.get("integration_id").asText()).isEqualTo(id);
        assertThat(record.get("payload")).isEqualTo(customer);
        assertThat(record.get("updated_at").asText()).isEqualTo(Instant.ofEpochSecond(1_732_000_000L).toString());
        JsonNode events = api.get("/api/v1/webhook-events?integration_id=" + id).json();
        assertThat(events.at("/items/0/status").asText()).isEqualTo("processed");
        assertThat(events.at("/items/0/attempts").asInt()).isEqualTo(1);
        assertThat(events.at("/items/0/type").asText()).isEqualTo("customer.created");
    }

    @Test
    void concurrentDuplicateDeliveriesStoreExactlyOneRow() throws Exception {
        Api api = newWorkspace();
        String id = createStripe(api, "Live", SECRET).json().get("id").asText();
        String body = StripeEvents.event("invoice.paid", StripeEvents.object("invoice"), 1_732_000_000L).toString();
        String signature = StripeEvents.signature(body, SECRET);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<String> statuses = new ArrayList<>();
        try {
            List<Callable<Api.Response>> deliveries = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                deliveries.add(() -> deliver(id, body, signature));
            }
            for (Future<Api.Response> response : pool.invokeAll(deliveries)) {
                assertThat(response.get().status()).isEqualTo(200);
                statuses.add(response.get().json().get("status").asText());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(statuses).containsOnlyOnce("received");
        assertThat(statuses.stream().filter("already_received"::equals)).hasSize(31);
        assertThat(storedEvents(id)).isEqualTo(1);
    }

    @Test
    void anOlderEventArrivingLateNeverOverwritesNewerData() {
        Api api = newWorkspace();
        String id = createStripe(api, "Live", SECRET).json().get("id").asText();
        ObjectNode older = StripeEvents.object("subscription").put("status", "trialing");
        ObjectNode newer = StripeEvents.object("subscription").put("status", "active");
        String newerBody = StripeEvents.event("customer.subscription.updated", newer, 1_732_000_500L).toString();
        String olderBody = StripeEvents.event("customer.subscription.created", older, 1_732_000_000L).toString();
        String path = "/api/v1/records/stripe/subscription/" + newer.get("id").asText();

        deliver(id, newerBody, StripeEvents.signature(newerBody, SECRET));
        awaitRecord(api, path, r -> r.at("/payload/status").asText().equals("active"));
        deliver(id, olderBody, StripeEvents.signature(olderBody, SECRET));
        awaitEvents(api, id, "processed", 2);

        JsonNode record = api.get(path).json();
        assertThat(record.at("/payload/status").asText()).isEqualTo("active");
        assertThat(record.get("version").asInt()).isEqualTo(1);
    }

    @Test
    void aDeletedEventMarksTheRecordDeleted() {
        Api api = newWorkspace();
        String id = createStripe(api, "Live", SECRET).json().get("id").asText();
        String created = StripeEvents.event("customer.created", StripeEvents.object("customer"), 1_732_000_000L)
                .toString();
        String deleted = StripeEvents.event("customer.deleted", StripeEvents.object("deleted_customer"),
                1_732_000_900L).toString();
        deliver(id, created, StripeEvents.signature(created, SECRET));
        deliver(id, deleted, StripeEvents.signature(deleted, SECRET));

        JsonNode record = awaitRecord(api, "/api/v1/records/stripe/customer/cus_QXg1o8vcGmoR32",
                r -> r.get("deleted").asBoolean());
        assertThat(record.get("version").asInt()).isEqualTo(2);
    }

    @Test
    void forgedExpiredOrMalformedDeliveriesAreRefusedAndStoreNothing() {
        Api api = newWorkspace();
        String id = createStripe(api, "Live", SECRET).json().get("id").asText();
        String body = StripeEvents.event("charge.succeeded", StripeEvents.object("charge"), 1_732_000_000L)
                .toString();
        long now = Instant.now().getEpochSecond();

        assertRefused(deliver(id, body, StripeEvents.signature(body, "whsec_attacker_guess_000001")), 400,
                "invalid_signature");
        assertRefused(deliver(id, body.replace("\"amount\":100", "\"amount\":1"), StripeEvents.signature(body,
                SECRET)), 400, "invalid_signature");
        assertRefused(deliver(id, body, null), 400, "invalid_signature");
        assertRefused(deliver(id, body, "t=abc,v1=zz"), 400, "invalid_signature");
        assertRefused(deliver(id, body, StripeEvents.signature(body, SECRET, now - 400)), 400, "invalid_signature");
        assertRefused(deliver(id, body, StripeEvents.signature(body, SECRET, now + 400)), 400, "invalid_signature");
        String notJson = "this is not json";
        assertRefused(deliver(id, notJson, StripeEvents.signature(notJson, SECRET)), 400, "invalid_event");
        String notEvent = StripeEvents.object("charge").toString();
        assertRefused(deliver(id, notEvent, StripeEvents.signature(notEvent, SECRET)), 400, "invalid_event");
        assertRefused(deliver(UUID.randomUUID().toString(), body, StripeEvents.signature(body, SECRET)), 404,
                "not_found");
        assertRefused(deliver("not-a-uuid", body, StripeEvents.signature(body, SECRET)), 404, "not_found");
        String huge = "{\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}";
        assertRefused(deliver(id, huge, StripeEvents.signature(huge, SECRET)), 413, "payload_too_large");

        assertThat(storedEvents(id)).isZero();
        Api.Response withinTolerance = deliver(id, body, StripeEvents.signature(body, SECRET, now - 250));
        assertThat(withinTolerance.json().get("status").asText()).isEqualTo("received");
    }

    @Test
    void anotherIntegrationsSecretDoesNotVerify() {
        Api api = newWorkspace();
        String live = createStripe(api, "Live", SECRET).json().get("id").asText();
        String test = createStripe(api, "Test", "whsec_test_mode_secret_0002").json().get("id").asText();
        String body = StripeEvents.event("customer.created", StripeEvents.object("customer"), 1_732_000_000L)
                .toString();

        assertRefused(deliver(test, body, StripeEvents.signature(body, SECRET)), 400, "invalid_signature");
        assertThat(deliver(live, body, StripeEvents.signature(body, SECRET)).status()).isEqualTo(200);
        // The same event id under another integration is another delivery, stored for that account.
        assertThat(deliver(test, body, StripeEvents.signature(body, "whsec_test_mode_secret_0002")).json()
                .get("status").asText()).isEqualTo("received");
    }

    @Test
    void aRotatedSecretKeepsVerifyingDuringTheGracePeriod() {
        Api api = newWorkspace();
        String id = createStripe(api, "Live", SECRET).json().get("id").asText();
        String newSecret = "whsec_rotated_secret_000000002";
        Api.Response rotated = patch(api, id, Map.of("config", Map.of("signing_secret", newSecret)));
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.json().get("id").asText()).isEqualTo(id);
        assertThat(rotated.text()).doesNotContain(newSecret, SECRET);

        String one = StripeEvents.event("customer.created", StripeEvents.object("customer"), 1).toString();
        String two = StripeEvents.event("customer.updated", StripeEvents.object("customer"), 2).toString();
        assertThat(deliver(id, one, StripeEvents.signature(one, SECRET)).status()).isEqualTo(200);
        assertThat(deliver(id, two, StripeEvents.signature(two, newSecret)).status()).isEqualTo(200);

        // The grace period ends: moved into the past rather than waited for.
        jdbc.sql("UPDATE integrations SET previous_valid_until = now() - interval '1 second' WHERE id = ?")
                .param(UUID.fromString(id)).update();
        endpoints.evict(UUID.fromString(id));
        String three = StripeEvents.event("customer.updated", StripeEvents.object("customer"), 3).toString();
        assertRefused(deliver(id, three, StripeEvents.signature(three, SECRET)), 400, "invalid_signature");
        assertThat(deliver(id, three, StripeEvents.signature(three, newSecret)).status()).isEqualTo(200);

        assertField(patch(api, id, Map.of("config", Map.of("signing_secret", "nope"))), "config.signing_secret");
    }

    @Test
    void anUnprocessableEventFailsWithItsReasonAndCanBeReplayed() {
        Api api = newWorkspace();
        String id = createStripe(api, "Live", SECRET).json().get("id").asText();
        ObjectNode noId = StripeEvents.object("product");
        noId.remove("id");
        String body = StripeEvents.event("product.created", noId, 1_732_000_000L).toString();
        deliver(id, body, StripeEvents.signature(body, SECRET));

        JsonNode failed = awaitEvents(api, id, "failed", 1).get(0);
        long eventId = failed.get("id").asLong();
        JsonNode detail = api.get("/api/v1/webhook-events/" + eventId).json();
        assertThat(detail.get("attempts").asInt()).isEqualTo(1);
        assertThat(detail.get("last_error").asText()).isEqualTo("data.object has no id");
        assertThat(detail.at("/event/type").asText()).isEqualTo("product.created");
        assertThat(detail.get("history")).hasSize(1);
        assertThat(detail.at("/history/0/outcome").asText()).isEqualTo("failed");

        Api.Response replay = api.post("/api/v1/webhook-events/" + eventId + "/replay", "");
        assertThat(replay.status()).isEqualTo(202);
        awaitCondition(() -> api.get("/api/v1/webhook-events/" + eventId).json().get("history").size() == 2);
        assertThat(newWorkspace().post("/api/v1/webhook-events/" + eventId + "/replay", "").status()).isEqualTo(404);
    }

    @Test
    void aProcessedEventCanBeReplayed() {
        Api api = newWorkspace();
        String id = createStripe(api, "Live", SECRET).json().get("id").asText();
        String body = StripeEvents.event("price.created", StripeEvents.object("price"), 1_732_000_000L).toString();
        deliver(id, body, StripeEvents.signature(body, SECRET));
        long eventId = awaitEvents(api, id, "processed", 1).get(0).get("id").asLong();

        api.post("/api/v1/webhook-events/" + eventId + "/replay", "");

        awaitCondition(() -> api.get("/api/v1/webhook-events/" + eventId).json().get("history").size() == 2);
        JsonNode detail = api.get("/api/v1/webhook-events/" + eventId).json();
        assertThat(detail.get("status").asText()).isEqualTo("processed");
        assertThat(api.get("/api/v1/records/stripe/price/" + StripeEvents.object("price").get("id").asText())
                .json().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void eventsAreListedNewestFirstWithFiltersAndPages() {
        Api api = newWorkspace();
        String id = createStripe(api, "Live", SECRET).json().get("id").asText();
        for (int i = 0; i < 5; i++) {
            String body = StripeEvents.event(i % 2 == 0 ? "customer.created" : "invoice.paid",
                    StripeEvents.object(i % 2 == 0 ? "customer" : "invoice"), 1_732_000_000L + i).toString();
            deliver(id, body, StripeEvents.signature(body, SECRET));
        }
        JsonNode first = api.get("/api/v1/webhook-events?limit=3").json();
        assertThat(first.get("items")).hasSize(3);
        assertThat(first.at("/items/0/id").asLong()).isGreaterThan(first.at("/items/1/id").asLong());
        for (String field : new String[] {"id", "event_id", "type", "status", "attempts", "received_at"}) {
            assertThat(first.at("/items/0").has(field)).as(field).isTrue();
        }
        JsonNode second = api.get("/api/v1/webhook-events?limit=3&cursor=" + first.get("next_cursor").asText()).json();
        assertThat(second.get("items")).hasSize(2);
        assertThat(second.get("next_cursor").isNull()).isTrue();
        assertThat(api.get("/api/v1/webhook-events?type=invoice.paid").json().get("items")).hasSize(2);
        assertThat(api.get("/api/v1/webhook-events?status=bogus").status()).isEqualTo(422);
        assertThat(newWorkspace().get("/api/v1/webhook-events").json().get("items")).isEmpty();
    }

    private Api.Response createStripe(Api api, String name, String secret) {
        return api.post("/api/v1/integrations", Map.of("provider", "stripe", "name", name,
                "config", Map.of("signing_secret", secret)));
    }

    private static Api.Response patch(Api api, String id, Map<String, Object> body) {
        try {
            return api.send(api.request("/api/v1/integrations/" + id).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(Api.JSON.writeValueAsString(body))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Api.Response deliver(String integrationId, String body, String signature) {
        HttpRequest.Builder request = anonymous().request("/webhooks/stripe/" + integrationId)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return anonymous().send(request);
    }

    private long storedEvents(String integrationId) {
        return jdbc.sql("SELECT count(*) FROM webhook_events WHERE integration_id = ?")
                .param(UUID.fromString(integrationId)).query(Long.class).single();
    }

    private static JsonNode awaitRecord(Api api, String path, Predicate<JsonNode> ready) {
        JsonNode[] found = new JsonNode[1];
        awaitCondition(() -> {
            Api.Response response = api.get(path);
            found[0] = response.status() == 200 ? response.json() : null;
            return found[0] != null && ready.test(found[0]);
        });
        return found[0];
    }

    private static JsonNode awaitEvents(Api api, String integrationId, String status, int count) {
        JsonNode[] items = new JsonNode[1];
        awaitCondition(() -> {
            items[0] = api.get("/api/v1/webhook-events?integration_id=" + integrationId + "&status=" + status)
                    .json().get("items");
            return items[0].size() == count;
        });
        return items[0];
    }

    static void awaitCondition(java.util.function.BooleanSupplier condition) {
        Await.until(condition, Duration.ofSeconds(20));
    }

    private static void assertRefused(Api.Response response, int status, String error) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.json().get("error").asText()).isEqualTo(error);
        assertThat(response.json().get("request_id").asText()).isEqualTo(response.header("X-Request-Id"));
    }

    private static void assertField(Api.Response response, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(response.json().at("/details/0/field").asText()).isEqualTo(field);
    }
}
