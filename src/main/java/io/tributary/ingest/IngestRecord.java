package io.tributary.ingest;

import java.time.Instant;
import java.util.UUID;

/**
 * One record on its way into the store, whatever brought it: the API, a webhook or a sync.
 * integrationId is null for pushed records; payloadJson is a serialized JSON object.
 */
public record IngestRecord(UUID workspaceId, String system, UUID integrationId, String objectType, String objectId,
                           String payloadJson, Instant updatedAt, boolean deleted) {

    /** The upsert key: records with equal keys are one row. */
    public Key key() {
        return new Key(workspaceId, system, integrationId, objectType, objectId);
    }

    public record Key(UUID workspaceId, String system, UUID integrationId, String objectType, String objectId) {
    }
}
