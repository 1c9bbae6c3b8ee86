package io.tributary.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.ingest.IngestRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A HubSpot CRM object → a record of system hubspot: the portal's integration id keeps two portals'
 * equal ids apart; the payload is the properties plus associated company ids.
 */
@Component
public class HubSpotRecordMapper {

    public static final String SYSTEM = "hubspot";

    private final ObjectMapper json;

    public HubSpotRecordMapper(ObjectMapper json) {
        this.json = json;
    }

    /** Empty when the object lacks an id or a modification time: counted as failed, never guessed. */
    public Optional<IngestRecord> map(UUID workspaceId, UUID integrationId, HubSpotObject type, JsonNode object,
                                      List<String> associatedIds) {
        String id = object.path("id").asText("");
        Instant modifiedAt = HubSpotTimes.modifiedAt(object, type);
        if (id.isEmpty() || modifiedAt == null) {
            return Optional.empty();
        }
        ObjectNode payload = json.createObjectNode();
        payload.set("properties", object.path("properties").isObject() ? object.get("properties") : json.createObjectNode());
        type.associatedWith().ifPresent(associated -> {
            ObjectNode associations = payload.putObject("associations");
            associatedIds.forEach(associations.putArray(associated)::add);
        });
        return Optional.of(new IngestRecord(workspaceId, SYSTEM, integrationId, type.recordType(), id,
                payload.toString(), modifiedAt, object.path("archived").asBoolean(false)));
    }
}
