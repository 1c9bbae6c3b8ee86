package io.tributary.support;

import static io.tributary.support.HubSpotDoubleReply.JSON;
import static io.tributary.support.HubSpotDoubleReply.invalid;
import static io.tributary.support.HubSpotDoubleReply.iso;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.support.HubSpotDouble.Pipeline;
import io.tributary.support.HubSpotDouble.Portal;
import io.tributary.support.HubSpotDouble.Stage;
import io.tributary.support.HubSpotDoubleStore.Obj;
import io.tributary.support.HubSpotDoubleStore.Page;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/** The CRM endpoints: search, batch read, v4 association batch read and deal pipelines. */
final class HubSpotDoubleCrm {

    private static final int BATCH_READ_LIMIT = 100;
    private static final int ASSOCIATION_READ_LIMIT = 1_000;

    /** HubSpot's default (unlabeled) association type ids, by "from>to". */
    private static final Map<String, Integer> ASSOCIATION_TYPES = Map.of(
            "contacts>companies", 279, "companies>contacts", 280,
            "deals>contacts", 3, "contacts>deals", 4,
            "deals>companies", 341, "companies>deals", 342);

    private HubSpotDoubleCrm() {
    }

    /** "companies", "company" and "0-2" all name companies, as in HubSpot's paths. */
    static String objectType(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "companies", "company", "0-2" -> "companies";
            case "contacts", "contact", "0-1" -> "contacts";
            case "deals", "deal", "0-3" -> "deals";
            default -> throw invalid("Unable to infer object type from: " + name);
        };
    }

    /** POST /crm/v3/objects/{type}/search. */
    static HubSpotDoubleReply search(Portal portal, String type, String body) {
        HubSpotDoubleQuery query = HubSpotDoubleQuery.parse(type, body);
        // Nothing past the 10,000th result is served, yet paging still points there: following it is the 400.
        int limit = Math.min(query.limit(), HubSpotDoubleQuery.RESULT_CAP - query.after());
        Page page = portal.store(type).search(query, query.after(), limit);
        SortedSet<String> properties = returned(type, query.properties());
        long end = (long) query.after() + page.results().size();
        return HubSpotDoubleReply.streamed(200, json -> {
            json.writeStartObject();
            json.writeNumberField("total", page.total());
            json.writeArrayFieldStart("results");
            for (Obj record : page.results()) {
                writeObject(json, record, properties);
            }
            json.writeEndArray();
            if (!page.results().isEmpty() && end < page.total()) {
                json.writeObjectFieldStart("paging");
                json.writeObjectFieldStart("next");
                json.writeStringField("after", Long.toString(end));
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndObject();
        });
    }

    /** POST /crm/v3/objects/{type}/batch/read: unknown ids make it a 207 with an OBJECT_NOT_FOUND error. */
    static HubSpotDoubleReply batchRead(Portal portal, String type, String body) {
        String startedAt = iso(System.currentTimeMillis());
        JsonNode root = HubSpotDoubleReply.readBody(body);
        JsonNode inputs = inputs(root, BATCH_READ_LIMIT);
        SortedSet<String> properties = returned(type, HubSpotDoubleQuery.properties(type, root.path("properties")));
        HubSpotDoubleStore store = portal.store(type);
        List<Obj> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (JsonNode input : inputs) {
            String id = input.path("id").asText();
            Long parsed = parseId(id);
            Obj record = parsed == null ? null : store.get(parsed);
            if (record == null) {
                missing.add(id);
            } else {
                found.add(record);
            }
        }
        return HubSpotDoubleReply.streamed(missing.isEmpty() ? 200 : 207, json -> {
            json.writeStartObject();
            json.writeStringField("status", "COMPLETE");
            json.writeArrayFieldStart("results");
            for (Obj record : found) {
                writeObject(json, record, properties);
            }
            json.writeEndArray();
            if (!missing.isEmpty()) {
                json.writeNumberField("numErrors", 1);
                json.writeArrayFieldStart("errors");
                json.writeStartObject();
                json.writeStringField("status", "error");
                json.writeStringField("category", "OBJECT_NOT_FOUND");
                json.writeStringField("message", "Could not get some " + singular(type).toUpperCase(Locale.ROOT)
                        + " objects, they may be deleted or not exist. Check that ids are valid.");
                json.writeObjectFieldStart("context");
                json.writeArrayFieldStart("ids");
                for (String id : missing) {
                    json.writeString(id);
                }
                json.writeEndArray();
                json.writeEndObject();
                json.writeEndObject();
                json.writeEndArray();
            }
            json.writeStringField("startedAt", startedAt);
            json.writeStringField("completedAt", iso(System.currentTimeMillis()));
            json.writeEndObject();
        });
    }

    /** POST /crm/v4/associations/{from}/{to}/batch/read: ids without associations are errors in a 207. */
    static HubSpotDoubleReply associations(Portal portal, String from, String to, String body) {
        String startedAt = iso(System.currentTimeMillis());
        JsonNode inputs = inputs(HubSpotDoubleReply.readBody(body), ASSOCIATION_READ_LIMIT);
        Integer typeId = ASSOCIATION_TYPES.get(from + ">" + to);
        ObjectNode out = JSON.createObjectNode().put("status", "COMPLETE");
        ArrayNode results = out.putArray("results");
        ArrayNode errors = JSON.createArrayNode();
        for (JsonNode input : inputs) {
            String id = input.path("id").asText();
            Long fromId = parseId(id);
            List<Long> associated = fromId == null || typeId == null ? List.of() : portal.associated(from, fromId, to);
            if (associated.isEmpty()) {
                ObjectNode error = errors.addObject().put("status", "error").put("category", "OBJECT_NOT_FOUND")
                        .put("subCategory", "crm.associations.NO_ASSOCIATIONS_FOUND")
                        .put("message", "No " + singular(to) + " is associated with " + singular(from) + " " + id
                                + ".");
                ObjectNode context = error.putObject("context");
                context.putArray("fromObjectId").add(id);
                context.putArray("fromObjectType").add(singular(from));
                context.putArray("toObjectType").add(singular(to));
                continue;
            }
            ObjectNode result = results.addObject();
            result.putObject("from").put("id", id);
            ArrayNode targets = result.putArray("to");
            for (long toId : associated) {
                ObjectNode target = targets.addObject().put("toObjectId", toId);
                target.putArray("associationTypes").addObject().put("category", "HUBSPOT_DEFINED")
                        .put("typeId", typeId).putNull("label");
            }
        }
        if (!errors.isEmpty()) {
            out.put("numErrors", errors.size()).set("errors", errors);
        }
        out.put("startedAt", startedAt).put("completedAt", iso(System.currentTimeMillis()));
        return HubSpotDoubleReply.json(errors.isEmpty() ? 200 : 207, out);
    }

    /** GET /crm/v3/pipelines/deals. */
    static HubSpotDoubleReply pipelines(Portal portal) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putArray("results");
        for (Pipeline pipeline : portal.pipelines()) {
            String at = iso(pipeline.createdAt());
            ObjectNode node = results.addObject().put("label", pipeline.label())
                    .put("displayOrder", pipeline.displayOrder()).put("id", pipeline.id());
            ArrayNode stages = node.putArray("stages");
            List<Stage> ordered = new ArrayList<>(pipeline.stages());
            ordered.sort(Comparator.comparingInt(Stage::displayOrder));
            for (Stage stage : ordered) {
                ObjectNode stageNode = stages.addObject().put("label", stage.label())
                        .put("displayOrder", stage.displayOrder());
                ObjectNode metadata = stageNode.putObject("metadata");
                stage.metadata().forEach(metadata::put);
                stageNode.put("id", stage.id()).put("createdAt", at).put("updatedAt", at).put("archived", false)
                        .put("writePermissions", "CRM_PERMISSIONS_ENFORCEMENT");
            }
            node.put("createdAt", at).put("updatedAt", at).put("archived", false);
        }
        return HubSpotDoubleReply.json(200, out);
    }

    /** The properties shown: the ones asked for plus HubSpot's own, sorted by name as HubSpot sorts them. */
    private static SortedSet<String> returned(String type, List<String> asked) {
        SortedSet<String> names = new TreeSet<>(asked);
        names.addAll(HubSpotDoubleStore.alwaysReturned(type));
        return names;
    }

    /** A record as search and batch read show it; a property it lacks is null. */
    private static void writeObject(JsonGenerator json, Obj record, SortedSet<String> properties) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", Long.toString(record.id));
        json.writeObjectFieldStart("properties");
        for (String name : properties) {
            json.writeStringField(name, record.value(name));
        }
        json.writeEndObject();
        json.writeStringField("createdAt", record.createdIso());
        json.writeStringField("updatedAt", record.modifiedIso());
        json.writeBooleanField("archived", false);
        json.writeEndObject();
    }

    private static JsonNode inputs(JsonNode root, int limit) {
        JsonNode inputs = root.path("inputs");
        if (!inputs.isArray()) {
            throw invalid("Invalid input JSON on line 1, column 2: Some required fields were not set: [inputs]");
        }
        if (inputs.size() > limit) {
            throw invalid("Batch input of " + inputs.size() + " is over the limit of " + limit + ".");
        }
        return inputs;
    }

    private static Long parseId(String id) {
        try {
            return Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String singular(String type) {
        return switch (type) {
            case "companies" -> "company";
            case "contacts" -> "contact";
            default -> "deal";
        };
    }
}
