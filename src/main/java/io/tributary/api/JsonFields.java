package io.tributary.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import org.springframework.http.HttpStatus;

/**
 * Parses request bodies (400 when not JSON) and reads their fields (422 naming the field when one
 * is wrong). Bodies are read as bytes so each endpoint can authenticate before it parses.
 */
final class JsonFields {

    private static final ObjectReader READER = new ObjectMapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
        return text;
    }
}
