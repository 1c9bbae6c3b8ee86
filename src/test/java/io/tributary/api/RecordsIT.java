package io.tributary.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.ingest.IngestCounts;
import io.tributary.ingest.IngestRecord;
import io.tributary.ingest.IngestService;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.Records;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class RecordsIT extends AppTest {

    @Autowired
    IngestService ingest;

    @Autowired
    JdbcClient jdbc;

    @Test
    void pagesThroughEveryRecordOnceInAStableOrder() {
        Api api = newWorkspace();
        api.post("/api/v1/ingest/batch", Records.batch("hubspot", "company", 250));

        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.get("/api/v1/records?limit=100" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(item -> assertThat(seen.add(item.get("object_id").asText())).isTrue());
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(250);
        assertThat(api.get("/api/v1/records").json().get("items")).hasSize(100);
    }

    @Test
    void filtersBySystemTypeAndChangeTime() throws Exception {
        Api api = newWorkspace();
        api.post("/api/v1/ingest/batch", Records.batch("hubspot", "company", 3));
        api.post("/api/v1/ingest/batch", Records.batch("hubspot", "contact", 2));
        api.post("/api/v1/ingest/batch", Records.batch("stripe", "customer", 4));

        assertThat(api.get("/api/v1/records?system=hubspot").json().get("items")).hasSize(5);
        assertThat(api.get("/api/v1/records?system=hubspot&object_type=contact").json().get("items")).hasSize(2);
        assertThat(api.get("/api/v1/records?object_type=customer").json().get("items")).hasSize(4);

        Instant between = Instant.now();
        Thread.sleep(20);
        api.post("/api/v1/ingest/batch", Records.of(List.of(
                Records.record("stripe", "customer", "id-1", Map.of("changed", true), null))));
        JsonNode changed = api.get("/api/v1/records?updated_since=" + between).json();
        assertThat(changed.get("items")).hasSize(1);
        assertThat(changed.at("/items/0/object_id").asText()).isEqualTo("id-1");
    }

    @Test
    void badQueryParametersAreNamed() {
        Api api = newWorkspace();
        assertField(api.get("/api/v1/records?limit=0"), "limit");
        assertField(api.get("/api/v1/records?limit=1001"), "limit");
        assertField(api.get("/api/v1/records?limit=ten"), "limit");
        assertField(api.get("/api/v1/records?cursor=not-ours"), "cursor");
        assertField(api.get("/api/v1/records?updated_since=yesterday"), "updated_since");
        assertField(api.get("/api/v1/records?integration_id=42"), "integration_id");
    }

    @Test
    void anotherWorkspacesRecordsAreInvisible() {
        Api owner = newWorkspace();
        Api other = newWorkspace();
        owner.post("/api/v1/ingest/batch", Records.batch("stripe", "customer", 2));

        assertThat(other.get("/api/v1/records/stripe/customer/id-0").status()).isEqualTo(404);
        assertThat(other.get("/api/v1/records").json().get("items")).isEmpty();
        // Writing the same key in the other workspace creates its own row, leaving the owner's alone.
        other.post("/api/v1/ingest/batch", Records.of(List.of(
                Records.record("stripe", "customer", "id-0", Map.of("owner", "other"), null))));
        assertThat(owner.get("/api/v1/records/stripe/customer/id-0").json().at("/payload/n").asInt()).isZero();
        assertThat(owner.get("/api/v1/records/stripe/customer/id-0").json().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void twoInstancesOfOneProviderNeverCollide() {
        Api api = newWorkspace();
        UUID workspaceId = workspaceIdOf(api);
        UUID portalA = UUID.randomUUID();
        UUID portalB = UUID.randomUUID();
        IngestCounts counts = ingest.ingest(List.of(
                connectorRecord(workspaceId, portalA, "{\"name\":\"A\"}"),
                connectorRecord(workspaceId, portalB, "{\"name\":\"B\"}")));
        assertThat(counts.inserted()).isEqualTo(2);
        api.post("/api/v1/ingest/batch", Records.of(List.of(
                Records.record("hubspot", "company", "123", Map.of("name", "pushed"), null))));

        Api.Response ambiguous = api.get("/api/v1/records/hubspot/company/123");
        assertThat(ambiguous.status()).isEqualTo(409);
        assertThat(ambiguous.json().get("error").asText()).isEqualTo("ambiguous_record");
        Set<String> listed = new HashSet<>();
        ambiguous.json().get("details").forEach(d -> listed.add(d.get("integration_id").asText()));
        assertThat(listed).containsExactlyInAnyOrder(portalA.toString(), portalB.toString(), "none");

        JsonNode a = api.get("/api/v1/records/hubspot/company/123?integration_id=" + portalA).json();
        assertThat(a.at("/payload/name").asText()).isEqualTo("A");
        assertThat(a.get("integration_id").asText()).isEqualTo(portalA.toString());
        JsonNode pushed = api.get("/api/v1/records/hubspot/company/123?integration_id=none").json();
        assertThat(pushed.at("/payload/name").asText()).isEqualTo("pushed");
        assertThat(pushed.get("integration_id").isNull()).isTrue();
        assertThat(api.get("/api/v1/records?integration_id=" + portalB).json().get("items")).hasSize(1);
        assertThat(api.get("/api/v1/records/hubspot/company/123?integration_id=" + UUID.randomUUID()).status())
                .isEqualTo(404);
    }

    private static IngestRecord connectorRecord(UUID workspaceId, UUID integrationId, String payload) {
        return new IngestRecord(workspaceId, "hubspot", integrationId, "company", "123", payload,
                Instant.parse("2026-05-01T00:00:00Z"), false);
    }

    /** The workspace id is not exposed by the data API; a workspace-scoped write and read reveals it. */
    private UUID workspaceIdOf(Api api) {
        String marker = "marker-" + UUID.randomUUID();
        api.post("/api/v1/ingest/batch", Records.of(List.of(Records.record("stripe", "probe", marker, Map.of(), null))));
        return ingestedWorkspace(marker);
    }

    private UUID ingestedWorkspace(String objectId) {
        return jdbc.sql("SELECT workspace_id FROM source_records WHERE object_id = ?").param(objectId)
                .query(UUID.class).single();
    }

    private static void assertField(Api.Response response, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(response.json().at("/details/0/field").asText()).isEqualTo(field);
    }
}
