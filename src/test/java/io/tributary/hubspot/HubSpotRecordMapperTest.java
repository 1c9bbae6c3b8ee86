package io.tributary.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.ingest.IngestRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HubSpotRecordMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID WORKSPACE = UUID.randomUUID();
    private static final UUID INTEGRATION = UUID.randomUUID();
    private final HubSpotRecordMapper mapper = new HubSpotRecordMapper(JSON);

    @Test
    void aContactBecomesAHubSpotRecordWithItsCompanyAssociations() throws Exception {
        JsonNode contact = JSON.readTree("""
                {"id":"501","properties":{"email":"ada@acme.test","lastmodifieddate":"2026-03-01T10:15:30.123Z",
                 "hs_object_id":"501"},"createdAt":"2025-01-01T00:00:00Z","updatedAt":"2026-03-01T10:15:30.123Z",
                 "archived":false}""");

        IngestRecord record = mapper.map(WORKSPACE, INTEGRATION, HubSpotObject.CONTACTS, contact, List.of("11", "12"))
                .orElseThrow();

        assertThat(record.system()).isEqualTo("hubspot");
        assertThat(record.integrationId()).isEqualTo(INTEGRATION);
        assertThat(record.objectType()).isEqualTo("contact");
        assertThat(record.objectId()).isEqualTo("501");
        assertThat(record.updatedAt()).isEqualTo(Instant.parse("2026-03-01T10:15:30.123Z"));
        assertThat(record.deleted()).isFalse();
        JsonNode payload = JSON.readTree(record.payloadJson());
        assertThat(payload.get("properties").get("email").asText()).isEqualTo("ada@acme.test");
        assertThat(payload.get("associations").get("companies")).extracting(JsonNode::asText).containsExactly("11", "12");
    }

    @Test
    void companiesCarryNoAssociationsAndEpochMillisecondTimesAreRead() throws Exception {
        JsonNode company = JSON.readTree("""
                {"id":"7","properties":{"name":"Acme","hs_lastmodifieddate":"1767225600000"}}""");

        IngestRecord record = mapper.map(WORKSPACE, INTEGRATION, HubSpotObject.COMPANIES, company, List.of()).orElseThrow();

        assertThat(record.updatedAt()).isEqualTo(Instant.ofEpochMilli(1_767_225_600_000L));
        assertThat(JSON.readTree(record.payloadJson()).has("associations")).isFalse();
    }

    @Test
    void anObjectWithoutIdOrModificationTimeIsNotGuessed() throws Exception {
        Optional<IngestRecord> noTime = mapper.map(WORKSPACE, INTEGRATION, HubSpotObject.DEALS,
                JSON.readTree("{\"id\":\"3\",\"properties\":{\"dealname\":\"x\",\"hs_lastmodifieddate\":\"yesterday\"}}"), List.of());
        Optional<IngestRecord> noId = mapper.map(WORKSPACE, INTEGRATION, HubSpotObject.DEALS,
                JSON.readTree("{\"properties\":{\"hs_lastmodifieddate\":\"2026-01-01T00:00:00Z\"}}"), List.of());

        assertThat(noTime).isEmpty();
        assertThat(noId).isEmpty();
    }
}
