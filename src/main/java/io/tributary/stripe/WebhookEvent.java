package io.tributary.stripe;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A stored webhook event and where its processing stands. payload is the event's JSON text. */
public record WebhookEvent(long id, @JsonIgnore UUID workspaceId, UUID integrationId, String eventId, String type,
                           Instant eventCreated, @JsonIgnore String payload, String status, int attempts,
                           String lastError, Instant receivedAt, Instant processedAt) {

    public static final Set<String> STATUSES = Set.of("received", "processed", "failed");

    /** One processing attempt of an event. */
    public record Attempt(int attempt, String outcome, String error, Instant attemptedAt) {
    }
}
