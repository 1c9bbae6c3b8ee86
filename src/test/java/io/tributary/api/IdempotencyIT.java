package io.tributary.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.Records;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IdempotencyIT extends AppTest {

    @Test
    void theSameBatchAgainChangesNothing() {
        Api api = newWorkspace();
        Map<String, Object> batch = Records.batch("stripe", "customer", 120);
        assertThat(api.post("/api/v1/ingest/batch", batch).json().get("inserted").asLong()).isEqualTo(120);

        JsonNode again = api.post("/api/v1/ingest/batch", batch).json();

        assertThat(again.get("unchanged").asLong()).isEqualTo(120);
        assertThat(again.get("inserted").asLong() + again.get("updated").asLong()).isZero();
        JsonNode stored = api.get("/api/v1/records/stripe/customer/id-3").json();
        assertThat(stored.get("version").asInt()).isEqualTo(1);
        assertThat(stored.get("last_changed_at").asText()).isEqualTo(stored.get("first_seen_at").asText());
    }

    @Test
    void aChangedPayloadIsANewVersionAndKeyOrderIsNoChange() {
        Api api = newWorkspace();
        post(api, record("c1", "{\"name\":\"Ada\",\"plan\":\"free\"}", null));
        JsonNode changed = post(api, record("c1", "{\"name\":\"Ada\",\"plan\":\"pro\"}", null));
        assertThat(changed.get("updated").asLong()).isEqualTo(1);

        JsonNode reordered = post(api, record("c1", "{\"plan\":\"pro\",\"name\":\"Ada\"}", null));
        assertThat(reordered.get("unchanged").asLong()).isEqualTo(1);

        JsonNode stored = api.get("/api/v1/records/stripe/customer/c1").json();
        assertThat(stored.get("version").asInt()).isEqualTo(2);
        assertThat(stored.at("/payload/plan").asText()).isEqualTo("pro");
        assertThat(Instant.parse(stored.get("last_changed_at").asText()))
                .isAfter(Instant.parse(stored.get("first_seen_at").asText()));
    }

    @Test
    void anOlderUpdatedAtIsStaleAndNeverOverwrites() {
        Api api = newWorkspace();
        post(api, record("c1", "{\"plan\":\"pro\"}", "2026-03-01T00:00:00Z"));

        JsonNode older = post(api, record("c1", "{\"plan\":\"free\"}", "2026-02-01T00:00:00Z"));
        assertThat(older.get("stale").asLong()).isEqualTo(1);
        assertThat(older.get("updated").asLong()).isZero();

        JsonNode newer = post(api, record("c1", "{\"plan\":\"team\"}", "2026-03-02T00:00:00Z"));
        assertThat(newer.get("updated").asLong()).isEqualTo(1);

        JsonNode stored = api.get("/api/v1/records/stripe/customer/c1").json();
        assertThat(stored.at("/payload/plan").asText()).isEqualTo("team");
        assertThat(stored.get("updated_at").asText()).isEqualTo("2026-03-02T00:00:00Z");
        assertThat(stored.get("version").asInt()).isEqualTo(2);
    }

    @Test
    void deletedIsAChangeThatIsStored() {
        Api api = newWorkspace();
        post(api, record("c1", "{\"plan\":\"pro\"}", "2026-03-01T00:00:00Z"));
        Map<String, Object> deletion = record("c1", "{\"plan\":\"pro\"}", "2026-03-05T00:00:00Z");
        deletion.put("deleted", true);
        assertThat(post(api, deletion).get("updated").asLong()).isEqualTo(1);

        JsonNode stored = api.get("/api/v1/records/stripe/customer/c1").json();
        assertThat(stored.get("deleted").asBoolean()).isTrue();
        assertThat(stored.get("version").asInt()).isEqualTo(2);
    }

    @Test
    void aKeyRepeatedInOneBatchKeepsTheLastAndCountsEach() {
        Api api = newWorkspace();
        JsonNode counts = api.post("/api/v1/ingest/batch", Records.of(List.of(
                record("c1", "{\"v\":1}", null), record("c1", "{\"v\":2}", null), record("c1", "{\"v\":2}", null))))
                .json();
        assertThat(counts.get("inserted").asLong()).isEqualTo(1);
        assertThat(counts.get("updated").asLong()).isEqualTo(1);
        assertThat(counts.get("unchanged").asLong()).isEqualTo(1);
        assertThat(api.get("/api/v1/records/stripe/customer/c1").json().at("/payload/v").asInt()).isEqualTo(2);
    }

    /**
     * Eight clients send batches over the same 150 keys at once, each with its own, later updated_at.
     * Whatever the interleaving, each key is one row and holds the newest client's payload.
     */
    @Test
    void parallelBatchesOnTheSameKeysNeitherDuplicateNorLoseUpdates() throws Exception {
        Api api = newWorkspace();
        int clients = 8;
        int keys = 150;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Callable<JsonNode>> sends = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                sends.add(() -> {
                    List<Map<String, Object>> records = new ArrayList<>();
                    for (int k = keys - 1; k >= 0; k--) {
                        // Opposite key orders between clients invite lock-order deadlocks.
                        int key = client % 2 == 0 ? k : keys - 1 - k;
                        records.add(record("k" + key, "{\"client\":" + client + "}",
                                "2026-01-01T00:00:0" + client + "Z"));
                    }
                    return api.post("/api/v1/ingest/batch", Records.of(records)).json();
                });
            }
            long written = 0;
            long total = 0;
            for (Future<JsonNode> result : pool.invokeAll(sends)) {
                JsonNode counts = result.get();
                assertThat(counts.has("received")).as(counts.toString()).isTrue();
                written += counts.get("inserted").asLong() + counts.get("updated").asLong();
                total += counts.get("inserted").asLong();
            }
            assertThat(total).isEqualTo(keys);
            assertThat(written).isLessThanOrEqualTo((long) keys * clients);
        } finally {
            pool.shutdown();
        }
        JsonNode page = api.get("/api/v1/records?system=stripe&limit=1000").json();
        assertThat(page.get("items")).hasSize(keys);
        for (JsonNode item : page.get("items")) {
            assertThat(item.at("/payload/client").asInt()).as(item.toString()).isEqualTo(clients - 1);
            assertThat(item.get("updated_at").asText()).isEqualTo("2026-01-01T00:00:07Z");
        }
    }

    private static JsonNode post(Api api, Map<String, Object> record) {
        Api.Response response = api.post("/api/v1/ingest/batch", Records.of(List.of(record)));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static Map<String, Object> record(String id, String payloadJson, String updatedAt) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = Api.JSON.readValue(payloadJson, Map.class);
            return new HashMap<>(Records.record("stripe", "customer", id, payload, updatedAt));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
