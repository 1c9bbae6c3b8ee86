package io.tributary.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.tributary.common.StorableText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * Parses request bodies (400 when not JSON) and reads their fields (422 naming the field when one
 * is wrong); text query parameters share the check of what the store can keep. Bodies are read as bytes so each endpoint
 * can authenticate before it parses.
 */
final class JsonFields {

    // Decimals as sent: as doubles, 1e400 became the string "Infinity" and 0.1000000000000000001 became 0.1.
    private static final ObjectReader READER = new ObjectMapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final int MAX_CONNECT_NAME = 200;

    private JsonFields() {
    }

    static JsonNode parse(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : READER.readTree(body);
            if (node != null && !node.isMissingNode()) {
                return node;
            }
        } catch (JacksonException e) {
            // answered below, without echoing the parser's message (it quotes the body)
        } catch (IOException e) {
            throw new IllegalStateException("Reading an in-memory body cannot fail", e);
        }
        throw new ApiException(HttpStatus.BAD_REQUEST, "malformed_json", "The request body is not valid JSON");
    }

    static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.validation("body", "must be a JSON object");
        }
        return body;
    }

    static String requiredText(JsonNode body, String field, int maxLength) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.validation(field, "is required");
        }
        if (!value.isTextual()) {
            throw ApiException.validation(field, "must be a string");
        }
        String text = value.textValue().strip();
        if (text.isEmpty()) {
            throw ApiException.validation(field, "must not be blank");
        }
        if (text.length() > maxLength) {
            throw ApiException.validation(field, "must be at most " + maxLength + " characters");
        }
        requireStorable(field, text);
        return text;
    }

    /**
     * The name a connect link may give its integration (a query parameter): null when absent, else
     * stripped; blank, too long or not storable → 422.
     */
    static String optionalConnectName(String name) {
        if (name == null) {
            return null;
        }
        if (name.isBlank() || name.length() > MAX_CONNECT_NAME) {
            throw ApiException.validation("name", "must be 1 to " + MAX_CONNECT_NAME + " characters");
        }
        requireStorable("name", name);
        return name.strip();
    }

    /** Text the store cannot keep as sent (StorableText) is refused here, naming the field. */
    static void requireStorable(String field, String text) {
        String problem = StorableText.problem(text);
        if (problem != null) {
            throw ApiException.validation(field, problem);
        }
    }

    /** An optional string that must be one of the allowed values; null when absent. */
    static String optionalChoice(JsonNode body, String field, List<String> allowed) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || !allowed.contains(value.textValue())) {
            throw ApiException.validation(field, "must be one of " + String.join(", ", allowed));
        }
        return value.textValue();
    }

    /** An optional array of non-blank strings (each one of allowed, unless allowed is null); null when absent. */
    static List<String> optionalTextList(JsonNode body, String field, List<String> allowed,
                                                   int maxItems) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray() || value.isEmpty() || value.size() > maxItems) {
            throw ApiException.validation(field, "must be a non-empty array of at most " + maxItems + " strings");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.textValue().isBlank() || item.textValue().length() > 200) {
                throw ApiException.validation(field, "must hold only non-blank strings");
            }
            if (allowed != null && !allowed.contains(item.textValue())) {
                throw ApiException.validation(field, "items must be among " + String.join(", ", allowed));
            }
            if (!items.contains(item.textValue())) {
                items.add(item.textValue());
            }
        }
        return items;
    }
}
