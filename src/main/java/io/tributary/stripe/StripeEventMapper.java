package io.tributary.stripe;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.ingest.IngestRecord;

/**
 * A Stripe event as a record: the object it carries (data.object), typed by that object's own
 * "object" field — customer.subscription.* gives subscription, customer.tax_id.* gives tax_id.
 * The event's created time orders writes, so an older event arriving late never wins.
 */
public final class StripeEventMapper {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StripeEventMapper() {
    }

    /** Why an event cannot become a record; its message is ours and safe to store and show. */
    public static class UnmappableEvent extends RuntimeException {
        UnmappableEvent(String message) {
            super(message);
        }
    }

    public static IngestRecord toRecord(WebhookEvent stored) {
        StripeEvent event;
        try {
            event = StripeEvent.from(JSON.readTree(stored.payload()));
        } catch (JacksonException e) {
            event = null;
        }
        if (event == null) {
            throw new UnmappableEvent("the stored body is not a Stripe event");
        }
        JsonNode object = event.dataObject();
        String objectType = object.path("object").asText("");
        String objectId = object.path("id").asText("");
        if (objectType.isBlank() || !object.path("object").isTextual()) {
            throw new UnmappableEvent("data.object has no \"object\" type");
        }
        if (objectId.isBlank() || !object.path("id").isTextual()) {
            throw new UnmappableEvent("data.object has no id");
        }
        boolean deleted = event.type().endsWith(".deleted") || object.path("deleted").asBoolean(false);
        return new IngestRecord(stored.workspaceId(), "stripe", stored.integrationId(), objectType, objectId,
                object.toString(), event.created(), deleted);
    }
}
