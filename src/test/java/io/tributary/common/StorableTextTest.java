package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorableTextTest {

    @Test
    void textWithoutNulOrHalfSurrogatesIsStorable() {
        assertThat(StorableText.problem("")).isNull();
        assertThat(StorableText.problem("Acme GmbH — Zürich \uD83D\uDE00")).isNull();
        assertThat(StorableText.problem("a literal \\u0000")).isNull();
    }

    @Test
    void nulAndLoneSurrogatesAreNamed() {
        assertThat(StorableText.problem("a\0b")).contains("NUL");
        for (String half : new String[] {"\uD83D", "x\uD83D", "\uDE00x", "\uDE00\uD83D", "\uD83D\uD83D\uDE00x\uDE00"}) {
            String escaped = half.chars().mapToObj(c -> String.format("\\u%04x", c)).reduce("", String::concat);
            assertThat(StorableText.problem(half)).as(escaped).contains("surrogate");
        }
    }
}
