package io.tributary.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class NulCharactersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void replacesNulInValuesAndNamesWithTheReplacementCharacter() throws Exception {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("name", "Acme\0 Corp\0");
        payload.putObject("nested").put("key\0", "v").putArray("list").add("\0");
        String replaced = NulCharacters.replaceInJson(payload.toString());

        JsonNode read = JSON.readTree(replaced);
        assertThat(read.get("name").asText()).isEqualTo("Acme\uFFFD Corp\uFFFD");
        assertThat(read.get("nested").get("key\uFFFD").asText()).isEqualTo("v");
        assertThat(read.get("nested").get("list").get(0).asText()).isEqualTo("\uFFFD");
        assertThat(replaced).doesNotContain("\\u0000");
    }

    @Test
    void leavesALiteralBackslashBeforeU0000Alone() throws Exception {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("path", "C:\\u0000\\\0");
        String replaced = NulCharacters.replaceInJson(payload.toString());

        assertThat(JSON.readTree(replaced).get("path").asText()).isEqualTo("C:\\u0000\\\uFFFD");
    }

    @Test
    void returnsTheSameTextWhenThereIsNoNul() {
        String json = "{\"name\":\"Acme\",\"note\":\"\\\\u0000 is how JSON writes NUL\"}";
        assertThat(NulCharacters.replaceInJson(json)).isEqualTo(json);
        String plain = "{\"name\":\"Acme\"}";
        assertThat(NulCharacters.replaceInJson(plain)).isSameAs(plain);
    }
}
