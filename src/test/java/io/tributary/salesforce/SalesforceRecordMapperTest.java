package io.tributary.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.ingest.IngestRecord;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SalesforceRecordMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SalesforceRecordMapper mapper = new SalesforceRecordMapper();
    private final UUID workspace = UUID.randomUUID();
    private final UUID integration = UUID.randomUUID();

    @Test
    void businessAndPersonAccountsAreTypedByIsPersonAccount() throws Exception {
        JsonNode business = JSON.readTree("""
                {"attributes":{"type":"Account","url":"/services/data/v62.0/sobjects/Account/001000000000001AAA"},
                 "Id":"001000000000001AAA","Name":"Acme","IsPersonAccount":false,
                 "SystemModstamp":"2026-01-02T03:04:05.000+0000","IsDeleted":false}""");
        JsonNode person = JSON.readTree("""
                {"Id":"001000000000002AAA","IsPersonAccount":true,"PersonEmail":"ada@example.com",
                 "SystemModstamp":"2026-01-02T03:04:05.000+0000","IsDeleted":true}""");

        IngestRecord account = mapper.map(workspace, integration, SalesforceObject.ACCOUNTS, business).orElseThrow();
        IngestRecord personAccount = mapper.map(workspace, integration, SalesforceObject.ACCOUNTS, person).orElseThrow();

        assertThat(account.objectType()).isEqualTo("account");
        assertThat(account.system()).isEqualTo("salesforce");
        assertThat(account.integrationId()).isEqualTo(integration);
        assertThat(account.updatedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(JSON.readTree(account.payloadJson()).has("attributes")).isFalse();
        assertThat(account.deleted()).isFalse();
        assertThat(personAccount.objectType()).isEqualTo("person_account");
        assertThat(personAccount.deleted()).isTrue();
    }

    @Test
    void personAccountContactsAreRecognisedAndRowsWithoutModstampAreNotGuessed() throws Exception {
        JsonNode personContact = JSON.readTree("{\"Id\":\"003000000000001AAA\",\"IsPersonAccount\":true}");
        assertThat(mapper.isPersonAccountContact(SalesforceObject.CONTACTS, personContact)).isTrue();
        assertThat(mapper.isPersonAccountContact(SalesforceObject.ACCOUNTS, personContact)).isFalse();
        assertThat(mapper.map(workspace, integration, SalesforceObject.CONTACTS, personContact)).isEmpty();
        assertThat(SalesforceRecordMapper.time("2026-01-02T03:04:05.123Z")).isEqualTo(Instant.parse("2026-01-02T03:04:05.123Z"));
    }
}
