package io.tributary.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.Records;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestBatchIT extends AppTest {

    @Test
    void storesAValidBatchAndReportsCounts() {
        Api api = workspaceWithSource("erp");
        Api.Response response = api.post("/api/v1/ingest/batch", Records.batch("erp", "order", 250));

        assertThat(response.status()).isEqualTo(200);
        JsonNode counts = response.json();
        assertThat(counts.get("received").asLong()).isEqualTo(250);
        assertThat(counts.get("inserted").asLong()).isEqualTo(250);
        assertThat(counts.get("updated").asLong()).isZero();
        assertThat(counts.get("unchanged").asLong()).isZero();
        assertThat(counts.get("stale").asLong()).isZero();
        assertThat(counts.get("request_id").asText()).isEqualTo(response.header("X-Request-Id"));

        JsonNode stored = api.get("/api/v1/records/erp/order/id-7").json();
        assertThat(stored.at("/payload/n").asInt()).isEqualTo(7);
        assertThat(stored.get("version").asInt()).isEqualTo(1);
        assertThat(stored.get("integration_id").isNull()).isTrue();
    }

    @Test
    void builtInSystemsAcceptPushedRecords() {
        Api api = newWorkspace();
        Api.Response response = api.post("/api/v1/ingest/batch", Records.batch("stripe", "customer", 1));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("inserted").asLong()).isEqualTo(1);
    }

    @Test
    void numbersAreStoredAsSentEvenBeyondWhatADoubleHolds() throws IOException {
        Api api = newWorkspace();
        String body = "{\"records\":[{\"system\":\"stripe\",\"object_type\":\"invoice\",\"object_id\":\"in_1\","
                + "\"payload\":{\"huge\":1e400,\"tiny\":-1.5e-400,\"precise\":0.10000000000000000000000001,"
                + "\"big\":123456789012345678901234}}]}";
        assertThat(api.post("/api/v1/ingest/batch", body).status()).isEqualTo(200);

        // Read back as exactly as it is written: a plain reader would round the answer to doubles itself.
        JsonNode payload = Api.JSON.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(api.get("/api/v1/records/stripe/invoice/in_1").text()).get("payload");
        assertThat(payload.get("huge").isNumber()).as(payload.toString()).isTrue();
        assertThat(payload.get("huge").decimalValue()).isEqualByComparingTo("1e400");
        assertThat(payload.get("tiny").decimalValue()).isEqualByComparingTo("-1.5e-400");
        assertThat(payload.get("precise").decimalValue()).isEqualByComparingTo("0.10000000000000000000000001");
        assertThat(payload.get("big").bigIntegerValue()).isEqualTo(new BigInteger("123456789012345678901234"));
    }

    @Test
    void everyOffendingRecordIsNamedAndNothingIsStored() {
        Api api = workspaceWithSource("erp");
        List<Map<String, Object>> records = new ArrayList<>();
        records.add(Records.record("erp", "order", "ok-1", Map.of("a", 1), null));
        records.add(Records.record("erp", "order", " ", Map.of("a", 1), null));
        records.add(Records.record("unregistered", "order", "x", Map.of("a", 1), null));
        records.add(Records.record("erp", "order", "x", Map.of("a", 1), "yesterday"));
        Map<String, Object> noType = Records.record("erp", null, "x", Map.of(), null);
        noType.remove("object_type");
        records.add(noType);
        Map<String, Object> arrayPayload = new HashMap<>(Records.record("erp", "order", "x", Map.of(), null));
        arrayPayload.put("payload", List.of(1, 2));
        records.add(arrayPayload);
        Map<String, Object> numericId = new HashMap<>(Records.record("erp", "order", "x", Map.of(), null));
        numericId.put("object_id", 42);
        records.add(numericId);
        Map<String, Object> textDeleted = new HashMap<>(Records.record("erp", "order", "x", Map.of(), null));
        textDeleted.put("deleted", "yes");
        records.add(textDeleted);
        Map<String, Object> smuggled = new HashMap<>(Records.record("erp", "order", "x", Map.of(), null));
        smuggled.put("integration_id", "00000000-0000-0000-0000-000000000001");
        records.add(smuggled);
        Map<String, Object> noPayload = new HashMap<>(Records.record("erp", "order", "x", null, null));
        noPayload.remove("payload");
        records.add(noPayload);
        records.add(Records.record("erp", "order", "ok-2", Map.of("a", 2), "2026-01-01T10:00:00+02:00"));

        Api.Response response = api.post("/api/v1/ingest/batch", Map.of("records", records));

        assertThat(response.status()).isEqualTo(422);
        JsonNode body = response.json();
        assertThat(body.get("error").asText()).isEqualTo("validation_failed");
        List<String> offending = new ArrayList<>();
        body.get("details").forEach(d -> offending.add(d.get("index").asInt() + ":" + d.get("field").asText()));
        assertThat(offending).containsExactlyInAnyOrder("1:object_id", "2:system", "3:updated_at",
                "4:object_type", "5:payload", "6:object_id", "7:deleted", "8:integration_id", "9:payload");
        body.get("details").forEach(d -> assertThat(d.get("message").asText()).isNotBlank());
        assertThat(api.get("/api/v1/records?system=erp").json().get("items")).isEmpty();
    }

    @Test
    void aRecordThatIsNotAnObjectIsNamed() {
        Api api = workspaceWithSource("erp");
        Api.Response response = api.post("/api/v1/ingest/batch", "{\"records\": [\"just a string\"]}");
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().at("/details/0/index").asInt()).isZero();
        assertThat(response.json().at("/details/0/field").asText()).isEqualTo("record");
    }

    @Test
    void malformedJsonIs400AndShapeErrorsAre422() {
        Api api = workspaceWithSource("erp");
        assertThat(api.post("/api/v1/ingest/batch", "{\"records\": [").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/ingest/batch", "").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/ingest/batch", "{\"records\": []} trailing").status()).isEqualTo(400);

        Api.Response empty = api.post("/api/v1/ingest/batch", "{\"records\": []}");
        assertThat(empty.status()).isEqualTo(422);
        assertThat(empty.json().at("/details/0/field").asText()).isEqualTo("records");
        assertThat(api.post("/api/v1/ingest/batch", "{}").status()).isEqualTo(422);
        assertThat(api.post("/api/v1/ingest/batch", "{\"records\": {}}").status()).isEqualTo(422);
        assertThat(api.post("/api/v1/ingest/batch", "[]").status()).isEqualTo(422);
    }

    @Test
    void tooManyRecordsOrTooLargeABodyIs413() {
        Api api = workspaceWithSource("erp");
        Api.Response tooMany = api.post("/api/v1/ingest/batch", Records.batch("erp", "order", 1001));
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.json().get("error").asText()).isEqualTo("batch_too_large");

        String padding = "x".repeat(11 * 1024 * 1024);
        Map<String, Object> huge = Records.of(List.of(
                Records.record("erp", "order", "big", Map.of("blob", padding), null)));
        Api.Response tooLarge = api.post("/api/v1/ingest/batch", huge);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().get("error").asText()).isEqualTo("payload_too_large");
        assertThat(api.get("/api/v1/records?system=erp").json().get("items")).isEmpty();
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() {
        Api api = workspaceWithSource("erp");
        // A stream of unknown length goes out chunked, with no Content-Length to refuse it by.
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.ofInputStream(() -> oversizedBody(12));
        Api.Response response = api.send(api.request("/api/v1/ingest/batch")
                .header("Content-Type", "application/json").POST(chunked));
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("error").asText()).isEqualTo("payload_too_large");
    }

    private static InputStream oversizedBody(int megabytes) {
        List<InputStream> parts = new ArrayList<>();
        parts.add(new ByteArrayInputStream("{\"records\":[{\"payload\":\"".getBytes(StandardCharsets.UTF_8)));
        byte[] megabyte = "x".repeat(1024 * 1024).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < megabytes; i++) {
            parts.add(new ByteArrayInputStream(megabyte));
        }
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    @Test
    void aBodyWithoutJsonContentTypeIs415() {
        Api api = workspaceWithSource("erp");
        Api.Response response = api.postRaw("/api/v1/ingest/batch", "{\"records\":[]}",
                "application/x-www-form-urlencoded");
        assertThat(response.status()).isEqualTo(415);
        assertThat(response.json().get("error").asText()).isEqualTo("unsupported_media_type");
    }

    private Api workspaceWithSource(String key) {
        Api api = newWorkspace();
        assertThat(api.post("/api/v1/sources", Map.of("key", key, "display_name", key)).status()).isEqualTo(201);
        return api;
    }
}
