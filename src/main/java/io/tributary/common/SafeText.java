package io.tributary.common;

import java.util.regex.Pattern;

/**
 * Makes text from a provider (an error message) safe to store and show: anything shaped like a
 * token or key is replaced, and the length is bounded.
 */
public final class SafeText {

    // Long unbroken runs of token characters: OAuth tokens, API keys, signatures.
    private static final Pattern TOKEN_LIKE = Pattern.compile("[A-Za-z0-9_\\-.~+/=]{32,}");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+\\S+");
    private static final int MAX_LENGTH = 500;

    private SafeText() {
    }

    public static String scrub(String text) {
        if (text == null) {
            return null;
        }
        String scrubbed = TOKEN_LIKE.matcher(BEARER.matcher(text).replaceAll("Bearer [redacted]"))
                .replaceAll("[redacted]");
        return scrubbed.length() <= MAX_LENGTH ? scrubbed : scrubbed.substring(0, MAX_LENGTH) + "…";
    }
}
