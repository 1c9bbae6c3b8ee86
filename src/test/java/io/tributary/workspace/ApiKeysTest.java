package io.tributary.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void generatedKeysAreDistinctAndCarryThePrefix() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(ApiKeys.generate());
        }
        assertThat(keys).hasSize(1000).allSatisfy(k -> assertThat(k).startsWith("trb_").hasSize(47));
    }

    @Test
    void theHashIsStableHexAndNotTheKey() {
        String key = ApiKeys.generate();
        assertThat(ApiKeys.hash(key)).isEqualTo(ApiKeys.hash(key)).hasSize(64).matches("[0-9a-f]+")
                .doesNotContain(key.substring(4, 20));
        assertThat(ApiKeys.hash(key + "x")).isNotEqualTo(ApiKeys.hash(key));
        assertThat(ApiKeys.displayPrefix(key)).hasSize(8);
    }
}
