package io.tributary.console;

import io.tributary.api.ApiException;
import io.tributary.ingest.SourceRegistry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How the console words what the API returns: times, durations and refusals. */
final class ConsoleText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    // The built-in systems are the providers; their display names are the registry's.
    private static final Map<String, String> PROVIDERS = SourceRegistry.BUILT_IN;

    private ConsoleText() {
    }

    static String time(Object instant) {
        return instant instanceof Instant at ? TIME.format(at) : "—";
    }

    static String duration(Object milliseconds) {
        if (!(milliseconds instanceof Number number)) {
            return "—";
        }
        long ms = number.longValue();
        if (ms < 1000) {
            return ms + " ms";
        }
        long seconds = ms / 1000;
        return seconds < 60 ? String.format(Locale.ROOT, "%.1f s", ms / 1000.0)
                : seconds / 60 + " min " + seconds % 60 + " s";
    }

    static boolean isProvider(String key) {
        return key != null && PROVIDERS.containsKey(key);
    }

    static String provider(String key) {
        return PROVIDERS.getOrDefault(key, key);
    }

    /** A refusal in one sentence: each offending field with what it must be, else the error's message. */
    static String problem(ApiException e) {
        if (e.details().isEmpty()) {
            return e.getMessage();
        }
        return e.details().stream().map(detail -> field(String.valueOf(detail.get("field"))) + " " + detail.get("message"))
                .collect(Collectors.joining("; "));
    }

    private static String field(String path) {
        String last = path.substring(path.lastIndexOf('.') + 1).replace('_', ' ');
        return last.isEmpty() ? last : Character.toUpperCase(last.charAt(0)) + last.substring(1);
    }
}
