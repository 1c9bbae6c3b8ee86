package io.tributary.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** HubSpot's by-id batch endpoints: v4 association reads and v3 object reads, 100 ids per call. */
@Component
public class HubSpotBatchApi {

    private static final int BATCH = 100;

    private final HubSpotClient client;
    private final HubSpotProperties properties;
    private final ObjectMapper json;

    public HubSpotBatchApi(HubSpotClient client, HubSpotProperties properties, ObjectMapper json) {
        this.client = client;
        this.properties = properties;
        this.json = json;
    }

    /** For each id (of fromType), the ids of the toType objects associated with it; ids without any are absent. */
    public Map<String, List<String>> associations(UUID integrationId, String fromType, String toType, List<String> ids) {
        Map<String, List<String>> associated = new LinkedHashMap<>();
        for (List<String> chunk : chunks(ids)) {
            ObjectNode body = json.createObjectNode();
            ArrayNode inputs = body.putArray("inputs");
            chunk.forEach(id -> inputs.addObject().put("id", id));
            JsonNode response = client.post(integrationId,
                    "/crm/v4/associations/" + fromType + "/" + toType + "/batch/read", body);
            for (JsonNode result : response.path("results")) {
                List<String> to = associated.computeIfAbsent(result.path("from").path("id").asText(), k -> new ArrayList<>());
                result.path("to").forEach(target -> {
                    String targetId = target.path("toObjectId").asText();
                    if (!to.contains(targetId)) {
                        to.add(targetId);
                    }
                });
            }
        }
        return associated;
    }

    /** The objects with these ids, with the configured properties; ids HubSpot does not know are left out. */
    public List<JsonNode> read(UUID integrationId, HubSpotObject object, List<String> ids) {
        List<JsonNode> objects = new ArrayList<>();
        for (List<String> chunk : chunks(ids)) {
            ObjectNode body = json.createObjectNode();
            ArrayNode requested = body.putArray("properties");
            properties.propertiesOf(object).forEach(requested::add);
            ArrayNode inputs = body.putArray("inputs");
            chunk.forEach(id -> inputs.addObject().put("id", id));
            client.post(integrationId, "/crm/v3/objects/" + object.plural() + "/batch/read", body)
                    .path("results").forEach(objects::add);
        }
        return objects;
    }

    private static List<List<String>> chunks(List<String> ids) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += BATCH) {
            chunks.add(ids.subList(from, Math.min(ids.size(), from + BATCH)));
        }
        return chunks;
    }
}
