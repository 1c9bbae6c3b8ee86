package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void keepsSaneIdsAndReplacesTheRest() {
        assertThat(RequestIds.acceptOrGenerate("abc-123_x.y:z")).isEqualTo("abc-123_x.y:z");
        assertThat(RequestIds.acceptOrGenerate(null)).hasSize(36);
        assertThat(RequestIds.acceptOrGenerate("")).hasSize(36);
        assertThat(RequestIds.acceptOrGenerate("a\nb")).hasSize(36).doesNotContain("\n");
        assertThat(RequestIds.acceptOrGenerate("x".repeat(129))).hasSize(36);
        assertThat(RequestIds.acceptOrGenerate("x".repeat(128))).hasSize(128);
    }
}
