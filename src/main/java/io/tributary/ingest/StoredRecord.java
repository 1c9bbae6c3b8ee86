package io.tributary.ingest;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/** A record as the store holds it; payload is its JSON text, written out as-is. */
public record StoredRecord(String system, UUID integrationId, String objectType, String objectId,
                           @JsonRawValue String payload, Instant updatedAt, boolean deleted, Instant firstSeenAt,
                           Instant lastChangedAt, int version) {
}
