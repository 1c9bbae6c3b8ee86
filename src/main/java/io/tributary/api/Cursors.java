package io.tributary.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque keyset cursors: callers pass back what they were given, and cannot build one by hand. */
final class Cursors {

    private static final String PREFIX = "k1:";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private Cursors() {
    }

    static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor stands for, or null when none was given; a 422 when it is not one of ours. */
    static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            // Positions are stored values, which never hold NUL: one that does was made by hand.
            if (decoded.startsWith(PREFIX) && decoded.indexOf('\0') < 0) {
                return decoded.substring(PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // falls through to the same answer as any other foreign cursor
        }
        throw ApiException.validation("cursor", "is not a cursor this API returned");
    }

    static long decodeLong(String cursor) {
        String position = decode(cursor);
        if (position == null) {
            return 0;
        }
        try {
            return Long.parseLong(position);
        } catch (NumberFormatException e) {
            throw ApiException.validation("cursor", "is not a cursor this API returned");
        }
    }

    /** The page size of every list: 100 unless asked, at most 1000. */
    static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw ApiException.validation("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }

    /** An optional text filter: absent and blank both mean "any". */
    static String filter(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        JsonFields.requireStorable(field, value);
        return value;
    }
}
