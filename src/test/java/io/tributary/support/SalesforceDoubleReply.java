package io.tributary.support;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** One answer of the Salesforce double: status, headers, a body (JSON unless a content type says otherwise). */
record SalesforceDoubleReply(int status, Map<String, String> headers, byte[] body, String contentType) {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String JSON_TYPE = "application/json;charset=UTF-8";

    /** Writes a body field by field: large query pages skip building a tree. */
    interface BodyWriter {
        void write(JsonGenerator json) throws IOException;
    }

    static SalesforceDoubleReply json(int status, JsonNode body) {
        try {
            return new SalesforceDoubleReply(status, Map.of(), JSON.writeValueAsBytes(body), JSON_TYPE);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SalesforceDoubleReply streamed(int status, BodyWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SalesforceDoubleReply(status, Map.of(), out.toByteArray(), JSON_TYPE);
    }

    static SalesforceDoubleReply text(int status, String body) {
        return new SalesforceDoubleReply(status, Map.of(), body.getBytes(StandardCharsets.UTF_8),
                "text/plain;charset=UTF-8");
    }

    static SalesforceDoubleReply empty(int status) {
        return new SalesforceDoubleReply(status, Map.of(), null, null);
    }

    /** The REST API's error body: a JSON array of {message, errorCode}. */
    static SalesforceDoubleReply error(int status, String errorCode, String message) {
        ArrayNode body = JSON.createArrayNode();
        body.addObject().put("message", message).put("errorCode", errorCode);
        return json(status, body);
    }

    /** The OAuth endpoints' error body: {error, error_description}, always 400. */
    static SalesforceDoubleReply oauthError(String error, String description) {
        return json(400, JSON.createObjectNode().put("error", error).put("error_description", description));
    }

    static Rejected rejected(int status, String errorCode, String message) {
        return new Rejected(error(status, errorCode, message));
    }

    SalesforceDoubleReply withHeaders(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(more);
        return new SalesforceDoubleReply(status, all, body, contentType);
    }

    SalesforceDoubleReply withHeader(String name, String value) {
        return withHeaders(Map.of(name, value));
    }

    /** Salesforce writes datetimes in UTC with milliseconds and a +0000 offset: "2026-01-01T00:00:00.000+0000". */
    static String dateTime(long epochMillis) {
        // By hand: a page formats thousands of times, and DateTimeFormatter is slow at that.
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), 0, ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(28);
        digits(out, time.getYear(), 4).append('-');
        digits(out, time.getMonthValue(), 2).append('-');
        digits(out, time.getDayOfMonth(), 2).append('T');
        digits(out, time.getHour(), 2).append(':');
        digits(out, time.getMinute(), 2).append(':');
        digits(out, time.getSecond(), 2).append('.');
        return digits(out, (int) Math.floorMod(epochMillis, 1000), 3).append("+0000").toString();
    }

    static StringBuilder digits(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        for (int pad = digits.length(); pad < width; pad++) {
            out.append('0');
        }
        return out.append(digits);
    }

    /** Thrown from deep inside request handling to answer with a reply at once (a 400, a 401...). */
    static final class Rejected extends RuntimeException {

        private final transient SalesforceDoubleReply reply;

        Rejected(SalesforceDoubleReply reply) {
            super(reply.status() + (reply.body() == null ? "" : " " + new String(reply.body(), StandardCharsets.UTF_8)),
                    null, false, false);
            this.reply = reply;
        }

        SalesforceDoubleReply reply() {
            return reply;
        }
    }
}
