package io.tributary.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** The parts of a Stripe event Tributary relies on, read from its verified body. */
public record StripeEvent(String id, String type, Instant created, JsonNode dataObject) {

    /**
     * Reads an event, or returns null when the JSON is not shaped like one:
     * {id, object: "event", type, created, data: {object: {...}}}.
     */
    public static StripeEvent from(JsonNode event) {
        if (event == null || !event.isObject()
                || !event.path("object").asText("").equals("event")
                || !event.path("id").isTextual() || event.path("id").asText().isBlank()
                || !event.path("type").isTextual() || event.path("type").asText().isBlank()
                || !event.path("created").canConvertToLong() || !event.path("created").isIntegralNumber()
                || !event.path("data").path("object").isObject()) {
            return null;
        }
        return new StripeEvent(event.get("id").asText(), event.get("type").asText(),
                Instant.ofEpochSecond(event.get("created").asLong()), event.get("data").get("object"));
    }
}
