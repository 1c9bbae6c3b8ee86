package io.tributary.console;

import static io.tributary.support.ConsoleClient.signedIn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.Await;
import io.tributary.support.ConsoleClient;
import io.tributary.support.StripeEvents;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Webhook Events pages over HTTP: signed Stripe events listed, filtered, shown in detail, replayed. */
class ConsoleWebhookEventsIT extends AppTest {

    private static final String SECRET = "whsec_console_events_secret_01";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final long CREATED = 1_732_000_000L;

    @Test
    void eventsAreListedFilteredByTypeAndStatusAndShownWithTheirPayloadAndHistory() {
        Api api = newWorkspace();
        String stripeId = createStripe(api);
        ObjectNode customer = StripeEvents.object("customer");
        customer.put("description", "<script>alert('x')</script>");
        ObjectNode customerEvent = StripeEvents.event("customer.created", customer, CREATED);
        ObjectNode productEvent = StripeEvents.event("product.created", StripeEvents.object("product"), CREATED);
        ObjectNode noId = StripeEvents.object("customer");
        noId.remove("id");
        ObjectNode brokenEvent = StripeEvents.event("customer.updated", noId, CREATED);
        for (ObjectNode event : new ObjectNode[] {customerEvent, productEvent, brokenEvent}) {
            assertThat(StripeEvents.deliver(anonymous(), stripeId, event.toString(), SECRET).status()).isEqualTo(200);
        }
        long customerId = awaitStored(api, "customer.created", "processed");
        awaitStored(api, "product.created", "processed");
        long brokenId = awaitStored(api, "customer.updated", "failed");
        ConsoleClient console = signedIn(port, api);

        String all = console.get("/console/webhook-events").text();
        assertThat(all).contains(customerEvent.get("id").asText(), productEvent.get("id").asText(),
                brokenEvent.get("id").asText(), "customer.created", "product.created", ">processed<", ">failed<",
                "data.object has no id", "href=\"/console/webhook-events/" + customerId + "\"");
        String products = console.get("/console/webhook-events?type=product.created").text();
        assertThat(products).contains(productEvent.get("id").asText(), "value=\"product.created\"")
                .doesNotContain(customerEvent.get("id").asText()).doesNotContain(brokenEvent.get("id").asText());
        String failedCustomers = console.get("/console/webhook-events?type=customer.updated&status=failed").text();
        assertThat(failedCustomers).contains(brokenEvent.get("id").asText())
                .doesNotContain(customerEvent.get("id").asText());
        assertThat(console.get("/console/webhook-events?type=customer.created&status=failed").text())
                .contains("No event matches these filters");

        Api.Response detail = console.get("/console/webhook-events/" + customerId);
        assertThat(detail.status()).isEqualTo(200);
        assertThat(detail.text()).contains(customerEvent.get("id").asText())
                .contains("&quot;type&quot; : &quot;customer.created&quot;")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;").doesNotContain("<script>alert")
                .contains("id=\"event-status\">processed<");
        assertThat(historyRows(detail.text())).isEqualTo(1);
        String broken = console.get("/console/webhook-events/" + brokenId).text();
        assertThat(broken).contains("id=\"event-status\">failed<").contains("data.object has no id");
        assertThat(historyRows(broken)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void replayOnTheEventsPageNeedsTheFormsTokenAndRunsTheEventAgain() {
        Api api = newWorkspace();
        long id = processedCustomerEvent(api).id();
        ConsoleClient console = signedIn(port, api);
        String page = "/console/webhook-events/" + id;

        Api.Response forged = console.post(page + "/replay", Map.of("to_event", "true"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(history(api, id)).hasSize(1);

        Api.Response replay = console.submit(page, page + "/replay", Map.of("to_event", "true"));
        assertThat(replay.status()).isEqualTo(302);
        assertThat(replay.header("Location")).endsWith(page);
        assertThat(console.follow(replay).text()).contains("Event " + id + " queued again");
        Await.until(() -> history(api, id).size() == 2
                && "processed".equals(api.get("/api/v1/webhook-events/" + id).json().get("status").asText()), PATIENCE);
        assertThat(historyRows(console.get(page).text())).isEqualTo(2);
    }

    @Test
    void anotherWorkspacesEventIsNotFound() {
        Api owner = newWorkspace();
        Stored stored = processedCustomerEvent(owner);
        ObjectNode event = stored.event();
        long id = stored.id();
        ConsoleClient other = signedIn(port, newWorkspace());

        assertThat(other.get("/console/webhook-events").text()).doesNotContain(event.get("id").asText())
                .contains("No webhook events");
        Api.Response detail = other.get("/console/webhook-events/" + id);
        assertThat(detail.status()).isEqualTo(404);
        assertThat(detail.text()).contains("Not found").doesNotContain(event.get("id").asText());
        Api.Response replay = other.submit("/console/webhook-events", "/console/webhook-events/" + id + "/replay",
                Map.of("to_event", "true"));
        assertThat(replay.status()).isEqualTo(404);
        assertThat(other.get("/console/webhook-events/not-a-number").status()).isEqualTo(404);
        assertThat(history(owner, id)).hasSize(1);
    }

    /** An event as sent and the id it is stored under. */
    private record Stored(ObjectNode event, long id) {
    }

    /** A customer.created event delivered to a new Stripe account of the workspace, once it is processed. */
    private Stored processedCustomerEvent(Api api) {
        String stripeId = createStripe(api);
        ObjectNode event = StripeEvents.event("customer.created", StripeEvents.object("customer"), CREATED);
        assertThat(StripeEvents.deliver(anonymous(), stripeId, event.toString(), SECRET).status()).isEqualTo(200);
        return new Stored(event, awaitStored(api, "customer.created", "processed"));
    }

    /** The stored event of this type once it reached status; its id. */
    private static long awaitStored(Api api, String type, String status) {
        long[] id = new long[1];
        Await.until(() -> {
            JsonNode items = api.get("/api/v1/webhook-events?type=" + type + "&status=" + status).json().get("items");
            if (items.isEmpty()) {
                return false;
            }
            id[0] = items.get(0).get("id").asLong();
            return true;
        }, PATIENCE);
        return id[0];
    }

    private static JsonNode history(Api api, long id) {
        return api.get("/api/v1/webhook-events/" + id).json().get("history");
    }

    private static int historyRows(String page) {
        int table = page.indexOf("id=\"event-history\"");
        if (table < 0) {
            return 0;
        }
        Matcher rows = Pattern.compile("<tr>\\s*<td").matcher(page.substring(table, page.indexOf("</table>", table)));
        int count = 0;
        while (rows.find()) {
            count++;
        }
        return count;
    }

    private static String createStripe(Api api) {
        Api.Response created = api.post("/api/v1/integrations", Map.of("provider", "stripe", "name", "Live",
                "config", Map.of("signing_secret", SECRET)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }
}
