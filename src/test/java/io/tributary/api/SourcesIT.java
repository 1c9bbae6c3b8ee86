package io.tributary.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.Records;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourcesIT extends AppTest {

    @Test
    void registersACustomSourceAndListsItAfterTheBuiltIns() {
        Api api = newWorkspace();
        Api.Response created = api.post("/api/v1/sources", Map.of("key", "billing_db", "display_name", "Billing DB"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("key").asText()).isEqualTo("billing_db");
        assertThat(created.json().get("display_name").asText()).isEqualTo("Billing DB");
        assertThat(created.json().get("built_in").asBoolean()).isFalse();

        JsonNode list = api.get("/api/v1/sources").json();
        assertThat(keys(list)).containsExactly("hubspot", "salesforce", "stripe", "billing_db");
        assertThat(list.at("/items/0/built_in").asBoolean()).isTrue();
        assertThat(list.get("next_cursor").isNull()).isTrue();
        assertThat(api.get("/api/v1/sources/billing_db").json().get("display_name").asText()).isEqualTo("Billing DB");
    }

    @Test
    void keysMustMatchThePattern() {
        Api api = newWorkspace();
        for (String bad : new String[] {"a", "Billing", "1abc", "bad-key", "with space", "_x", "a".repeat(64)}) {
            Api.Response response = api.post("/api/v1/sources", Map.of("key", bad, "display_name", "x"));
            assertThat(response.status()).as(bad).isEqualTo(422);
            assertThat(response.json().at("/details/0/field").asText()).isEqualTo("key");
        }
        assertThat(api.post("/api/v1/sources", Map.of("key", "ab", "display_name", "x")).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/sources", Map.of("key", "a" + "b".repeat(62), "display_name", "x")).status())
                .isEqualTo(201);
    }

    @Test
    void missingOrMistypedFieldsAreNamed() {
        Api api = newWorkspace();
        Api.Response noName = api.post("/api/v1/sources", Map.of("key", "crm"));
        assertThat(noName.status()).isEqualTo(422);
        assertThat(noName.json().at("/details/0/field").asText()).isEqualTo("display_name");
        Api.Response numericKey = api.post("/api/v1/sources", Map.of("key", 5, "display_name", "x"));
        assertThat(numericKey.status()).isEqualTo(422);
        assertThat(numericKey.json().at("/details/0/field").asText()).isEqualTo("key");
        assertThat(api.post("/api/v1/sources", "[1,2]").status()).isEqualTo(422);
        assertThat(api.post("/api/v1/sources", "{not json").status()).isEqualTo(400);
        assertThat(api.postRaw("/api/v1/sources", "{\"key\":\"crm\",\"display_name\":\"x\"}", "text/plain").status())
                .isEqualTo(415);
        assertThat(keys(api.get("/api/v1/sources").json())).doesNotContain("crm");
    }

    @Test
    void builtInKeysAreReservedAndDuplicatesConflict() {
        Api api = newWorkspace();
        for (String builtIn : new String[] {"hubspot", "salesforce", "stripe"}) {
            Api.Response response = api.post("/api/v1/sources", Map.of("key", builtIn, "display_name", "x"));
            assertThat(response.status()).isEqualTo(409);
            assertThat(response.json().get("error").asText()).isEqualTo("reserved_source_key");
            assertThat(api.delete("/api/v1/sources/" + builtIn).json().get("error").asText())
                    .isEqualTo("reserved_source_key");
        }
        assertThat(api.post("/api/v1/sources", Map.of("key", "erp", "display_name", "ERP")).status()).isEqualTo(201);
        Api.Response duplicate = api.post("/api/v1/sources", Map.of("key", "erp", "display_name", "ERP again"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().get("error").asText()).isEqualTo("source_exists");
        assertThat(api.get("/api/v1/sources/erp").json().get("display_name").asText()).isEqualTo("ERP");
    }

    @Test
    void deletingASourceWithRecordsNeedsPurge() {
        Api api = newWorkspace();
        api.post("/api/v1/sources", Map.of("key", "erp", "display_name", "ERP"));
        assertThat(api.post("/api/v1/ingest/batch", Records.batch("erp", "order", 3)).status()).isEqualTo(200);

        Api.Response refused = api.delete("/api/v1/sources/erp");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("error").asText()).isEqualTo("source_has_records");
        assertThat(api.get("/api/v1/records?system=erp").json().get("items")).hasSize(3);

        assertThat(api.delete("/api/v1/sources/erp?purge=true").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/records?system=erp").json().get("items")).isEmpty();
        assertThat(api.get("/api/v1/sources/erp").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/sources/erp").status()).isEqualTo(404);
    }

    @Test
    void aSourceWithoutRecordsIsDeletedDirectly() {
        Api api = newWorkspace();
        api.post("/api/v1/sources", Map.of("key", "erp", "display_name", "ERP"));
        assertThat(api.delete("/api/v1/sources/erp").status()).isEqualTo(204);
        // Once gone, pushing to it is refused again.
        assertThat(api.post("/api/v1/ingest/batch", Records.batch("erp", "order", 1)).status()).isEqualTo(422);
    }

    @Test
    void anotherWorkspacesSourcesAreInvisibleAndUntouchable() {
        Api owner = newWorkspace();
        Api other = newWorkspace();
        owner.post("/api/v1/sources", Map.of("key", "erp", "display_name", "ERP"));

        assertThat(other.get("/api/v1/sources/erp").status()).isEqualTo(404);
        assertThat(keys(other.get("/api/v1/sources").json())).doesNotContain("erp");
        assertThat(other.delete("/api/v1/sources/erp?purge=true").status()).isEqualTo(404);
        assertThat(other.post("/api/v1/ingest/batch", Records.batch("erp", "order", 1)).status()).isEqualTo(422);
        // The other workspace may register the same key for itself.
        assertThat(other.post("/api/v1/sources", Map.of("key", "erp", "display_name", "Mine")).status())
                .isEqualTo(201);
        assertThat(owner.get("/api/v1/sources/erp").json().get("display_name").asText()).isEqualTo("ERP");
    }

    @Test
    void customSourcesPageWithACursor() {
        Api api = newWorkspace();
        for (int i = 0; i < 5; i++) {
            api.post("/api/v1/sources", Map.of("key", "src_" + i, "display_name", "Source " + i));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.get("/api/v1/sources?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            seen.addAll(keys(page));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("hubspot", "salesforce", "stripe", "src_0", "src_1", "src_2", "src_3",
                "src_4");
        assertThat(api.get("/api/v1/sources?limit=0").status()).isEqualTo(422);
        assertThat(api.get("/api/v1/sources?cursor=bogus").status()).isEqualTo(422);
    }

    private static List<String> keys(JsonNode list) {
        List<String> keys = new ArrayList<>();
        list.get("items").forEach(item -> keys.add(item.get("key").asText()));
        return keys;
    }
}
