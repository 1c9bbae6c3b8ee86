package io.tributary.common;

/**
 * Whether PostgreSQL can keep a text exactly as sent. Its text and jsonb refuse U+0000, and an
 * unpaired UTF-16 surrogate (half of a character, which JSON's \\u escapes can spell) has no UTF-8
 * form: the driver would write "?" in its place and the stored text would silently differ.
 */
public final class StorableText {

    private StorableText() {
    }

    /** Why the text cannot be stored as sent ("must not contain …"), or null when it can. */
    public static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return "must not contain the NUL character (\\u0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must not contain half of a UTF-16 surrogate pair (a lone \\ud800-\\udfff)";
            }
        }
        return null;
    }
}
