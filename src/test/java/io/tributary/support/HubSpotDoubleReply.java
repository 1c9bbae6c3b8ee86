package io.tributary.support;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** One answer of the HubSpot double: status, headers and a JSON body (null for none). */
record HubSpotDoubleReply(int status, Map<String, String> headers, byte[] body) {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Writes a body field by field: large pages skip building a tree. */
    interface BodyWriter {
        void write(JsonGenerator json) throws IOException;
    }

    static HubSpotDoubleReply json(int status, JsonNode body) {
        try {
            return new HubSpotDoubleReply(status, Map.of(), JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HubSpotDoubleReply streamed(int status, BodyWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HubSpotDoubleReply(status, Map.of(), out.toByteArray());
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

    /** HubSpot writes times as ISO-8601 in UTC with milliseconds, always: "2024-01-17T19:55:04.281Z". */
    static String iso(long epochMillis) {
        // By hand: a page formats hundreds of times, and DateTimeFormatter is slow at that.
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), 0, ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(24);
        digits(out, time.getYear(), 4).append('-');
        digits(out, time.getMonthValue(), 2).append('-');
        digits(out, time.getDayOfMonth(), 2).append('T');
        digits(out, time.getHour(), 2).append(':');
        digits(out, time.getMinute(), 2).append(':');
        digits(out, time.getSecond(), 2).append('.');
        return digits(out, (int) Math.floorMod(epochMillis, 1000), 3).append('Z').toString();
    }

    private static StringBuilder digits(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int pad = digits.length(); pad < width; pad++) {
            out.append('0');
        }
        return out.append(digits);
    }

    /** Thrown from deep inside request handling to answer with a reply at once (a 400, a 401...). */
    static final class Rejected extends RuntimeException {

        private final transient HubSpotDoubleReply reply;

        Rejected(HubSpotDoubleReply reply) {
            super(reply.status() + (reply.body() == null ? "" : " " + new String(reply.body(), StandardCharsets.UTF_8)),
                    null, false, false);
            this.reply = reply;
        }

        HubSpotDoubleReply reply() {
            return reply;
        }
    }
}
