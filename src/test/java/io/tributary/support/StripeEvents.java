package io.tributary.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.stripe.net.Webhook;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Stripe events for tests, built from Stripe's own example objects (src/test/resources/stripe/objects.json,
 * a copy of shared/fixtures/stripe/objects.json from Stripe's public OpenAPI fixtures) and signed with
 * stripe-java's HMAC, not ours.
 */
public final class StripeEvents {

    private static final JsonNode RESOURCES = load();

    private StripeEvents() {
    }

    /** A fixture object by its key in objects.json (customer, subscription, deleted_customer, …), as a copy. */
    public static ObjectNode object(String key) {
        JsonNode object = RESOURCES.get(key);
        if (object == null) {
            throw new IllegalArgumentException("No Stripe fixture " + key);
        }
        return object.deepCopy();
    }

    /** An event shaped like Stripe's fixture event, with a fresh evt_ id, carrying the given object. */
    public static ObjectNode event(String type, JsonNode dataObject, long created) {
        ObjectNode event = object("event");
        event.put("id", "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
        event.put("type", type);
        event.put("created", created);
        ObjectNode data = event.putObject("data");
        data.set("object", dataObject);
        if (type.endsWith(".updated")) {
            data.putObject("previous_attributes").put("description", "before");
        }
        return event;
    }

    /** A Stripe-Signature header for body, made by stripe-java's own HMAC. */
    public static String signature(String body, String secret, long timestamp) {
        try {
            return "t=" + timestamp + ",v1=" + Webhook.Util.computeHmacSha256(secret, timestamp + "." + body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Delivers a signed event to an app's webhook endpoint, as Stripe does. */
    public static Api.Response deliver(Api anonymous, String integrationId, String body, String secret) {
        return anonymous.send(anonymous.request("/webhooks/stripe/" + integrationId)
                .header("Content-Type", "application/json")
                .header("Stripe-Signature", signature(body, secret))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    }

    public static String signature(String body, String secret) {
        return signature(body, secret, Instant.now().getEpochSecond());
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static JsonNode load() {
        try (InputStream in = StripeEvents.class.getResourceAsStream("/stripe/objects.json")) {
            return Api.JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8)).get("resources");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
