package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path must answer exactly as OffsetDateTime.parse does: same instant, or the same refusal. */
class IsoTimestampsTest {

    @Test
    void parsesTheUsualShapesToTheSameInstantAsOffsetDateTime() {
        assertThat(IsoTimestamps.parse("2026-01-31T12:00:00Z")).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(IsoTimestamps.parse("2026-01-31T12:00:00.123Z")).isEqualTo(Instant.parse("2026-01-31T12:00:00.123Z"));
        assertThat(IsoTimestamps.parse("2026-01-31T12:00:00.000000001+01:30"))
                .isEqualTo(Instant.parse("2026-01-31T10:30:00.000000001Z"));
        assertThat(IsoTimestamps.parse("2024-02-29T23:59:59-08:00")).isEqualTo(Instant.parse("2024-03-01T07:59:59Z"));
    }

    @Test
    void storableInstantsAreThoseOfYearsOneTo9999() {
        assertThat(IsoTimestamps.isStorable(Instant.parse("0001-01-01T00:00:00Z"))).isTrue();
        assertThat(IsoTimestamps.isStorable(Instant.parse("9999-12-31T23:59:59.999999999Z"))).isTrue();
        assertThat(IsoTimestamps.isStorable(IsoTimestamps.parse("0001-01-01T00:00:00+00:01"))).isFalse();
        assertThat(IsoTimestamps.isStorable(Instant.parse("+10000-01-01T00:00:00Z"))).isFalse();
    }

    @Test
    void theUsualShapesTakeTheFastPathAndTheRestDoNot() {
        for (String usual : List.of("2026-01-31T12:00:00Z", "2026-01-31T12:00:00.5Z", "2026-01-31T12:00:00.123456+05:30")) {
            assertThat(IsoTimestamps.parseUsualShape(usual)).as(usual).isEqualTo(OffsetDateTime.parse(usual).toInstant());
        }
        for (String other : List.of("2026-01-31T12:00Z", "2026-01-31t12:00:00Z", "2026-02-30T12:00:00Z")) {
            assertThat(IsoTimestamps.parseUsualShape(other)).as(other).isNull();
        }
    }

    @Test
    void refusesWhatOffsetDateTimeRefuses() {
        for (String bad : List.of("2026-02-30T12:00:00Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-01-31T24:00:00Z", "2026-01-31T12:60:00Z", "2026-01-31T12:00:60Z", "2026-01-31T12:00:00",
                "2026-01-31T12:00:00+19:00",
                "2026-01-31T12:00:00.1234567890Z", "2026-01-31 12:00:00Z", "2026-1-31T12:00:00Z", "not a time",
                "2026-01-31T12:00:00+0100", "2026-01-31T12:00:00Z ", "٢٠٢٦-01-31T12:00:00Z")) {
            assertThatThrownBy(() -> IsoTimestamps.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
    }

    @Test
    void leavesTheRarerShapesToOffsetDateTime() {
        for (String rare : List.of("2026-01-31T12:00Z", "+12026-01-31T12:00:00Z", "2026-01-31T12:00:00+01:00:30",
                "0000-01-01T00:00:00Z", "2026-01-31T12:00:00-00:00", "2026-01-31T12:00:00+18:00",
                // ISO parsing ignores case, and takes a decimal point without digits.
                "2026-01-31T12:00:00z", "2026-01-31t12:00:00Z", "2026-01-31T12:00:00.Z")) {
            assertThat(IsoTimestamps.parse(rare)).as(rare).isEqualTo(OffsetDateTime.parse(rare).toInstant());
        }
    }

    @Test
    void agreesWithOffsetDateTimeOnRandomTimestampsAndTheirMutations() {
        Random random = new Random(20261201);
        String alphabet = "0123456789-:+.TZ ";
        int compared = 0;
        for (int i = 0; i < 20_000; i++) {
            String text = randomTimestamp(random);
            List<String> variants = new ArrayList<>(List.of(text));
            StringBuilder mutated = new StringBuilder(text);
            mutated.setCharAt(random.nextInt(text.length()), alphabet.charAt(random.nextInt(alphabet.length())));
            variants.add(mutated.toString());
            variants.add(text.substring(0, random.nextInt(text.length())));
            for (String variant : variants) {
                assertSameVerdict(variant);
                compared++;
            }
        }
        assertThat(compared).isEqualTo(60_000);
    }

    private static void assertSameVerdict(String text) {
        Instant expected;
        try {
            expected = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            assertThatThrownBy(() -> IsoTimestamps.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
            return;
        }
        assertThat(IsoTimestamps.parse(text)).as(text).isEqualTo(expected);
    }

    private static String randomTimestamp(Random random) {
        int offsetMinutes = (random.nextInt(37) - 18) * 60 + (random.nextBoolean() ? 0 : 30);
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(Math.max(-18 * 3600, Math.min(18 * 3600, offsetMinutes * 60)));
        long seconds = random.nextLong(Instant.parse("9999-12-30T00:00:00Z").getEpochSecond());
        OffsetDateTime time = Instant.ofEpochSecond(seconds, random.nextBoolean() ? 0 : random.nextInt(1_000_000_000))
                .atOffset(random.nextInt(3) == 0 ? ZoneOffset.UTC : offset);
        return time.toString();
    }
}
