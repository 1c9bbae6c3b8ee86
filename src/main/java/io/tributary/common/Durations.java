package io.tributary.common;

import java.time.Duration;

/** Durations as people write them in configuration and read them in errors: 30s, 10m, 1h, 250ms. */
public final class Durations {

    private Durations() {
    }

    public static String text(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
