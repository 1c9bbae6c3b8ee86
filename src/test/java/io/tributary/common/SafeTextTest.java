package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void tokensAndBearerCredentialsAreRedactedAndWordsKept() {
        String token = "CNa7s8d6f5g4h3j2k1l0qwertyuiopASDFGHJKLzxcvbnm1234567890";
        String scrubbed = SafeText.scrub("The OAuth token " + token + " expired; sent Bearer abc.def");

        assertThat(scrubbed).doesNotContain(token).doesNotContain("abc.def")
                .contains("The OAuth token [redacted] expired").contains("Bearer [redacted]");
    }

    @Test
    void longTextIsBounded() {
        assertThat(SafeText.scrub("word ".repeat(500))).hasSizeLessThanOrEqualTo(501);
        assertThat(SafeText.scrub(null)).isNull();
    }
}
