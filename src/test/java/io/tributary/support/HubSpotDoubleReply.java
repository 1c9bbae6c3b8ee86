package io.tributary.support;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** One answer of the HubSpot double: status, headers and a JSON body (null for none). */
record HubSpotDoubleReply(int status, Map<String, String> headers, JsonNode body) {

    static final ObjectMapper JSON = new ObjectMapper();

    /** HubSpot writes times as ISO-8601 with milliseconds, always: "2024-01-17T19:55:04.281Z". */
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    static HubSpotDoubleReply json(int status, JsonNode body) {
        return new HubSpotDoubleReply(status, Map.of(), body);
    }

    static HubSpotDoubleReply empty(int status) {
        return new HubSpotDoubleReply(status, Map.of(), null);
    }

    /** HubSpot's usual error body: {"status":"error","message","correlationId","category"}. */
    static HubSpotDoubleReply error(int status, String category, String message) {
        return json(status, errorBody(category, message));
    }

    static ObjectNode errorBody(String category, String message) {
        ObjectNode body = JSON.createObjectNode().put("status", "error").put("message", message)
                .put("correlationId", UUID.randomUUID().toString());
        if (category != null) {
            body.put("category", category);
        }
        return body;
    }

    /** The 400 HubSpot answers a request it cannot accept. */
    static Rejected invalid(String message) {
        return new Rejected(error(400, "VALIDATION_ERROR", message));
    }

    /** A JSON request body; malformed JSON gets the 400 HubSpot gives it. */
    static JsonNode readBody(String body) {
        try {
            JsonNode root = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
            if (!root.isObject()) {
                throw invalid("Invalid input JSON: expected an object.");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw invalid("Invalid input JSON on line " + (at == null ? 1 : at.getLineNr()) + ", column "
                    + (at == null ? 1 : at.getColumnNr()) + ": " + e.getOriginalMessage());
        }
    }

    HubSpotDoubleReply withHeaders(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(more);
        return new HubSpotDoubleReply(status, all, body);
    }

    static String iso(long epochMillis) {
        return ISO.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Thrown from deep inside request handling to answer with a reply at once (a 400, a 401...). */
    static final class Rejected extends RuntimeException {

        private final transient HubSpotDoubleReply reply;

        Rejected(HubSpotDoubleReply reply) {
            super(reply.status() + " " + reply.body(), null, false, false);
            this.reply = reply;
        }

        HubSpotDoubleReply reply() {
            return reply;
        }
    }
}
