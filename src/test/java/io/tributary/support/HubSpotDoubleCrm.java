package io.tributary.support;

import static io.tributary.support.HubSpotDoubleReply.JSON;
import static io.tributary.support.HubSpotDoubleReply.invalid;
import static io.tributary.support.HubSpotDoubleReply.iso;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.support.HubSpotDouble.Pipeline;
import io.tributary.support.HubSpotDouble.Portal;
import io.tributary.support.HubSpotDouble.Stage;
import io.tributary.support.HubSpotDoubleStore.Obj;
import io.tributary.support.HubSpotDoubleStore.Page;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The CRM endpoints: search, batch read, v4 association batch read and deal pipelines. */
final class HubSpotDoubleCrm {

    static final int BATCH_READ_LIMIT = 100;
    static final int ASSOCIATION_READ_LIMIT = 1_000;

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
        // Nothing past the 10,000th result is served; the paging still points there, so a client that follows it gets the 400.
        int limit = Math.min(query.limit(), HubSpotDoubleQuery.RESULT_CAP - query.after());
        Page page = portal.store(type).search(query, query.after(), limit);
        ObjectNode out = JSON.createObjectNode().put("total", page.total());
        ArrayNode results = out.putArray("results");
        page.results().forEach(record -> results.add(object(record, query.properties())));
        long end = (long) query.after() + page.results().size();
        if (!page.results().isEmpty() && end < page.total()) {
            out.putObject("paging").putObject("next").put("after", Long.toString(end));
        }
        return HubSpotDoubleReply.json(200, out);
    }

    /** POST /crm/v3/objects/{type}/batch/read: unknown ids make it a 207 with an OBJECT_NOT_FOUND error. */
    static HubSpotDoubleReply batchRead(Portal portal, String type, String body) {
        String startedAt = iso(System.currentTimeMillis());
        JsonNode root = HubSpotDoubleReply.readBody(body);
        JsonNode inputs = inputs(root, BATCH_READ_LIMIT);
        List<String> properties = HubSpotDoubleQuery.properties(type, root.path("properties"));
        HubSpotDoubleStore store = portal.store(type);
        ObjectNode out = JSON.createObjectNode().put("status", "COMPLETE");
        ArrayNode results = out.putArray("results");
        List<String> missing = new ArrayList<>();
        for (JsonNode input : inputs) {
            String id = input.path("id").asText();
            Long parsed = parseId(id);
            Obj record = parsed == null ? null : store.get(parsed);
            if (record == null) {
                missing.add(id);
            } else {
                results.add(object(record, properties));
            }
        }
        if (!missing.isEmpty()) {
            ObjectNode error = out.put("numErrors", 1).putArray("errors").addObject().put("status", "error")
                    .put("category", "OBJECT_NOT_FOUND")
                    .put("message", "Could not get some " + singular(type).toUpperCase(Locale.ROOT)
                            + " objects, they may be deleted or not exist. Check that ids are valid.");
            missing.forEach(error.putObject("context").putArray("ids")::add);
        }
        out.put("startedAt", startedAt).put("completedAt", iso(System.currentTimeMillis()));
        return HubSpotDoubleReply.json(missing.isEmpty() ? 200 : 207, out);
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
                        .put("message", "No " + singular(to) + " is associated with " + singular(from) + " " + id + ".");
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

    /** A record as search and batch read show it: the properties asked for plus HubSpot's own, sorted by name. */
    private static ObjectNode object(Obj record, List<String> properties) {
        ObjectNode node = JSON.createObjectNode().put("id", Long.toString(record.id));
        ObjectNode values = node.putObject("properties");
        TreeSet<String> names = new TreeSet<>(properties);
        names.addAll(HubSpotDoubleStore.alwaysReturned(record.type));
        names.forEach(name -> values.put(name, record.value(name)));
        return node.put("createdAt", iso(record.created)).put("updatedAt", iso(record.modified)).put("archived", false);
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
