package io.tributary.ingest;

import java.util.regex.Pattern;

/**
 * PostgreSQL's jsonb cannot hold U+0000. A provider's record can carry one in a string (text someone
 * typed into a CRM); refusing it would fail the record's whole batch, and a sync would stop at that
 * record on every run. So the store writes U+FFFD in its place. (Pushed records are refused instead,
 * with a 422 their sender can act on; a webhook's raw body keeps the original.)
 */
final class NulCharacters {

    /** A \u0000 escape, not a literal backslash before "u0000": an even run of backslashes precedes it. */
    private static final Pattern NUL_ESCAPE = Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000");

    private NulCharacters() {
    }

    /** The JSON text with every U+0000 in its strings and names replaced by U+FFFD; the same text when it has none. */
    static String replaceInJson(String json) {
        if (!json.contains("\\u0000")) {
            return json;
        }
        // Group 1 keeps the escaped backslashes before the escape; "\\\\" is one literal backslash.
        return NUL_ESCAPE.matcher(json).replaceAll("$1\\\\ufffd");
    }
}
