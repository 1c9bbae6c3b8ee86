package io.tributary.common;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Parses ISO-8601 timestamps with an offset exactly as {@link OffsetDateTime#parse} does, faster
 * for the usual shape ({@code 2026-01-31T12:00:00[.fraction](Z|+01:00)}): records carry one each
 * and the general formatter was a tenth of an ingest request's time. Anything else (other year
 * forms, out-of-range fields, odd offsets) goes to OffsetDateTime.parse, which decides and throws.
 */
public final class IsoTimestamps {

    private static final int SHORTEST = "2026-01-31T12:00:00Z".length();
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z").plusSeconds(1);

    private IsoTimestamps() {
    }

    /** @throws java.time.format.DateTimeParseException when OffsetDateTime.parse would */
    public static Instant parse(String text) {
        Instant fast = parseUsualShape(text);
        return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    }

    /** Whether the instant falls in years 1 to 9999 (UTC): what the store's timestamps hold and compare. */
    public static boolean isStorable(Instant instant) {
        return !instant.isBefore(EARLIEST) && instant.isBefore(LATEST);
    }

    /** The usual shape, or null for anything it is not sure of. */
    static Instant parseUsualShape(String s) {
        if (s.length() < SHORTEST || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int position = 19;
        int nanos = 0;
        if (s.charAt(position) == '.') {
            int start = ++position;
            while (position < s.length() && isDigit(s.charAt(position))) {
                position++;
            }
            int length = position - start;
            if (length < 1 || length > 9) {
                return null;
            }
            nanos = digits(s, start, length);
            for (int i = length; i < 9; i++) {
                nanos *= 10;
            }
        }
        ZoneOffset offset = offset(s, position);
        if (offset == null) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** "Z" or "+HH:MM" ending the text; null for anything else. */
    private static ZoneOffset offset(String s, int position) {
        int remaining = s.length() - position;
        if (remaining == 1 && s.charAt(position) == 'Z') {
            return ZoneOffset.UTC;
        }
        if (remaining != 6 || s.charAt(position + 3) != ':') {
            return null;
        }
        char sign = s.charAt(position);
        int hours = digits(s, position + 1, 2);
        int minutes = digits(s, position + 4, 2);
        if ((sign != '+' && sign != '-') || hours < 0 || hours > 18 || minutes < 0 || minutes > 59) {
            return null;
        }
        try {
            return sign == '+' ? ZoneOffset.ofHoursMinutes(hours, minutes) : ZoneOffset.ofHoursMinutes(-hours, -minutes);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The non-negative number written by length digits at start, or -1 if any is not a digit. */
    private static int digits(String s, int start, int length) {
        int value = 0;
        for (int i = start; i < start + length; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
