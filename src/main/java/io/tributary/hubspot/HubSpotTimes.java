package io.tributary.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.IsoTimestamps;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** HubSpot writes times as ISO-8601 strings or epoch milliseconds, depending on the endpoint. */
final class HubSpotTimes {

    private HubSpotTimes() {
    }

    /** The object's modification time: its modified property, else the object's updatedAt; null when neither parses. */
    static Instant modifiedAt(JsonNode object, HubSpotObject type) {
        Instant fromProperty = parse(object.path("properties").path(type.modifiedProperty()).asText(null));
        return fromProperty != null ? fromProperty : parse(object.path("updatedAt").asText(null));
    }

    static Instant parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return isEpochMillis(value) ? Instant.ofEpochMilli(Long.parseLong(value)) : IsoTimestamps.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    private static boolean isEpochMillis(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
