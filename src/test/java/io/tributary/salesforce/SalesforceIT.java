package io.tributary.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.SalesforceConnections;
import io.tributary.support.SalesforceDouble;
import io.tributary.support.SyncStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class SalesforceIT extends AppTest {

    private static final Instant RECENT = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CamelContext camel;

    @Autowired
    SalesforceComponents components;

    @BeforeEach
    void resetSalesforce() {
        SALESFORCE.reset();
    }

    @Test
    void connectSendsTheUserToTheRightLoginHostWithPkceAndRefusesOtherDomains() {
        Api api = newWorkspace();
        Map<String, String> production = SalesforceConnections.authorize(api, "environment=production&name=Prod");
        assertThat(production.get("@host")).isEqualTo(SALESFORCE.baseUrl());
        assertThat(production).containsEntry("response_type", "code")
                .containsEntry("client_id", SalesforceDouble.CLIENT_ID)
                .containsEntry("scope", "api refresh_token id")
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", "http://localhost:8080/app/integrations/salesforce/callback");
        assertThat(production.get("code_challenge")).hasSize(43);

        assertThat(SalesforceConnections.authorize(api, "environment=sandbox").get("@host"))
                .isEqualTo(SALESFORCE.baseUrl().replace("localhost", "127.0.0.1"));
        assertThat(SalesforceConnections.authorize(api, "environment=custom&domain=acme.my.salesforce.com").get("@host"))
                .isEqualTo("https://acme.my.salesforce.com");

        long states = jdbc.sql("SELECT count(*) FROM oauth_states").query(Long.class).single();
        for (String domain : List.of("127.0.0.1", "localhost", "evil.example.com", "acme.my.salesforce.com.evil.com")) {
            Api.Response refused = api.get("/app/integrations/salesforce/connect?environment=custom&domain="
                    + URLEncoder.encode(domain, StandardCharsets.UTF_8));
            assertThat(refused.status()).as(domain).isEqualTo(422);
            assertThat(refused.json().get("details").get(0).get("field").asText()).isEqualTo("domain");
        }
        assertThat(api.get("/app/integrations/salesforce/connect?environment=staging").status()).isEqualTo(422);
        assertThat(jdbc.sql("SELECT count(*) FROM oauth_states").query(Long.class).single()).isEqualTo(states);
    }

    @Test
    void callbackStoresTheSessionEncryptedAndDetectsPersonAccounts() {
        Api api = newWorkspace();
        SalesforceDouble.Org plain = SALESFORCE.org("00D000000000001AAA", false);
        SalesforceDouble.Org persons = SALESFORCE.org("00D000000000002AAA", true);

        String plainId = SalesforceConnections.connect(api, SALESFORCE, plain, "environment=production&name=Plain");
        String personsId = SalesforceConnections.connect(api, SALESFORCE, persons, "environment=sandbox&name=Persons");
        String again = SalesforceConnections.connect(api, SALESFORCE, plain, "environment=production");

        assertThat(again).isEqualTo(plainId);
        JsonNode integration = api.get("/api/v1/integrations/" + plainId).json();
        assertThat(integration.get("provider").asText()).isEqualTo("salesforce");
        assertThat(integration.get("config").get("org_id").asText()).isEqualTo("00D000000000001AAA");
        assertThat(integration.get("config").get("person_accounts").asBoolean()).isFalse();
        assertThat(integration.toString()).doesNotContain("token");
        JsonNode sandbox = api.get("/api/v1/integrations/" + personsId).json();
        assertThat(sandbox.get("config").get("person_accounts").asBoolean()).isTrue();
        assertThat(sandbox.get("config").get("environment").asText()).isEqualTo("sandbox");
        assertThat(api.get("/api/v1/integrations").json().get("items")).hasSize(2);
        assertThat(camel.getRoute("salesforce-sync-schedule-" + plainId)).isNotNull();
        byte[] sealed = jdbc.sql("SELECT credentials FROM integrations WHERE id = ?").param(UUID.fromString(plainId))
                .query(byte[].class).single();
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("instance_url", "refresh_token");
    }

    @Test
    void accountsAndContactsSyncIndependentlyIncludingFiveThousandSharingOneModstamp() {
        Api api = newWorkspace();
        SalesforceDouble.Org org = SALESFORCE.org("00D000000000003AAA", false);
        org.generate("Account", 5_000, RECENT, Duration.ZERO);
        org.generate("Contact", 300, RECENT, Duration.ofSeconds(1));
        String id = SalesforceConnections.connect(api, SALESFORCE, org, "environment=production");

        List<String> runIds = requestSync(api, id, Map.of());
        assertThat(runIds).hasSize(2);
        JsonNode status = SyncStatus.awaitIdle(api, id);

        assertThat(status.get("objects").get("accounts").get("status").asText()).isEqualTo("succeeded");
        assertThat(status.get("objects").get("contacts").get("status").asText()).isEqualTo("succeeded");
        assertThat(status.get("objects").get("accounts").get("total_synced").asLong()).isEqualTo(5_000);
        assertThat(countRecords(id, "account")).isEqualTo(5_000);
        assertThat(countRecords(id, "contact")).isEqualTo(300);
        assertThat(jdbc.sql("SELECT count(DISTINCT job_id) FROM sync_runs WHERE integration_id = ?")
                .param(UUID.fromString(id)).query(Long.class).single()).isEqualTo(2);

        // Changes and deletes: queryAll brings the deleted row, which is marked deleted.
        String firstAccount = firstId(id, "account");
        org.delete("Account", firstAccount, Instant.now().minusSeconds(2));
        requestSync(api, id, Map.of());
        SyncStatus.awaitIdle(api, id);
        JsonNode deleted = api.get("/api/v1/records/salesforce/account/" + firstAccount + "?integration_id=" + id).json();
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(countRecords(id, "account")).isEqualTo(5_000);
    }

    @Test
    void personAccountsAreTheirOwnTypeAndTheirContactsAreNotStoredTwice() {
        Api api = newWorkspace();
        SalesforceDouble.Org org = SALESFORCE.org("00D000000000004AAA", true);
        org.generate("Account", 20, RECENT, Duration.ofSeconds(1));
        org.generate("PersonAccount", 10, RECENT, Duration.ofSeconds(1));
        org.generate("Contact", 5, RECENT, Duration.ofSeconds(1));
        String id = SalesforceConnections.connect(api, SALESFORCE, org, "environment=production");

        requestSync(api, id, Map.of("backfill", "all"));
        JsonNode objects = SyncStatus.awaitIdle(api, id).get("objects");

        assertThat(objects.get("accounts").get("status").asText()).isEqualTo("succeeded");
        assertThat(objects.get("contacts").get("status").asText()).isEqualTo("succeeded");
        assertThat(countRecords(id, "account")).isEqualTo(20);
        assertThat(countRecords(id, "person_account")).isEqualTo(10);
        assertThat(countRecords(id, "contact")).isEqualTo(5);
        JsonNode person = api.get("/api/v1/records?system=salesforce&object_type=person_account&integration_id=" + id
                + "&limit=1").json().get("items").get(0);
        assertThat(person.get("payload").has("PersonEmail")).isTrue();
    }

    @Test
    void anExpiredSessionIsRefreshedOnceAndARotatedRefreshTokenIsKept() {
        Api api = newWorkspace();
        SalesforceDouble.Org org = SALESFORCE.org("00D000000000005AAA", false);
        org.generate("Account", 50, RECENT, Duration.ofSeconds(1));
        // Both lanes have work, so both meet the expired session at about the same time.
        org.generate("Contact", 50, RECENT, Duration.ofSeconds(1));
        String id = SalesforceConnections.connect(api, SALESFORCE, org, "environment=production");
        SALESFORCE.setRefreshTokenRotation(true);

        for (int round = 1; round <= 2; round++) {
            SALESFORCE.expireAccessTokens();
            requestSync(api, id, Map.of("backfill", "all"));
            JsonNode objects = SyncStatus.awaitIdle(api, id).get("objects");
            assertThat(objects.get("accounts").get("status").asText()).as(objects.toString()).isEqualTo("succeeded");
            assertThat(objects.get("contacts").get("status").asText()).as("round " + round).isEqualTo("succeeded");
            assertThat(SALESFORCE.tokenGrants("refresh_token")).as("round " + round).isEqualTo(round);
        }
        assertThat(api.get("/api/v1/integrations/" + id).json().get("status").asText()).isEqualTo("connected");
        assertThat(countRecords(id, "account")).isEqualTo(50);
        assertThat(countRecords(id, "contact")).isEqualTo(50);
    }

    @Test
    void aRefusedRefreshTokenPausesTheOrg() {
        Api api = newWorkspace();
        SalesforceDouble.Org org = SALESFORCE.org("00D000000000006AAA", false);
        String id = SalesforceConnections.connect(api, SALESFORCE, org, "environment=production");
        SALESFORCE.revokeRefreshTokens();
        SALESFORCE.expireAccessTokens();

        requestSync(api, id, Map.of());
        JsonNode status = SyncStatus.awaitIdle(api, id);

        assertThat(status.get("integration_status").asText()).isEqualTo("reauth_required");
        assertThat(status.get("objects").get("accounts").get("status").asText()).isEqualTo("failed");
        assertThat(status.get("objects").get("accounts").get("error_message").asText()).contains("connect the org again");
        assertThat(camel.getRoute("salesforce-sync-schedule-" + id)).isNull();
    }

    @Test
    void theDailyApiReserveAndLimitEndRunsPartialAndTheNextRunResumes() {
        Api api = newWorkspace();
        SalesforceDouble.Org org = SALESFORCE.org("00D000000000007AAA", false);
        org.generate("Account", 6_000, RECENT, Duration.ofSeconds(1));
        String id = SalesforceConnections.connect(api, SALESFORCE, org, "environment=production");
        SALESFORCE.setDailyLimit(1_000);
        // Each page is one call: after the second the org is under its 10% reserve (99 of 1,000 left).
        SALESFORCE.setDailyUsed(899);

        requestSync(api, id, Map.of("backfill", "all"));
        JsonNode accounts = SyncStatus.awaitIdle(api, id).get("objects").get("accounts");
        assertThat(accounts.get("status").asText()).isEqualTo("partial");
        assertThat(accounts.get("error_message").asText()).contains("reserve");
        long partial = countRecords(id, "account");
        assertThat(partial).isBetween(1L, 5_999L);

        SALESFORCE.setDailyUsed(1_000);
        requestSync(api, id, Map.of());
        accounts = SyncStatus.awaitIdle(api, id).get("objects").get("accounts");
        assertThat(accounts.get("status").asText()).isEqualTo("partial");
        assertThat(accounts.get("error_message").asText()).contains("REQUEST_LIMIT_EXCEEDED");

        SALESFORCE.setDailyUsed(0);
        requestSync(api, id, Map.of());
        assertThat(SyncStatus.awaitIdle(api, id).get("objects").get("accounts").get("status").asText()).isEqualTo("succeeded");
        assertThat(countRecords(id, "account")).isEqualTo(6_000);
    }

    @Test
    void theNightlyRunSyncsEveryConnectedOrgAndPurgeWorksAfterADisconnect() throws Exception {
        Api api = newWorkspace();
        SalesforceDouble.Org east = SALESFORCE.org("00D000000000008AAA", false);
        SalesforceDouble.Org west = SALESFORCE.org("00D000000000009AAA", false);
        east.generate("Account", 3, RECENT, Duration.ofSeconds(1));
        west.generate("Account", 4, RECENT, Duration.ofSeconds(1));
        String eastId = SalesforceConnections.connect(api, SALESFORCE, east, "environment=production");
        String westId = SalesforceConnections.connect(api, SALESFORCE, west, "environment=production");
        assertThat(camel.getRoute("salesforce-nightly-sync")).isNotNull();

        // Fire the nightly trigger now, through Quartz and the route, as 02:30 UTC would.
        Instant fired = Instant.now();
        camel.getComponent("quartz", QuartzComponent.class).getScheduler()
                .triggerJob(new JobKey("all", "salesforce-nightly"));
        awaitJobs("nightly", eastId, westId);
        SyncStatus.awaitIdle(api, eastId);
        SyncStatus.awaitIdle(api, westId);
        assertThat(jdbc.sql("SELECT count(*) FROM sync_runs WHERE integration_id IN (?, ?) AND trigger = 'nightly'")
                .params(UUID.fromString(eastId), UUID.fromString(westId)).query(Long.class).single()).isEqualTo(4);
        // Each job records the fire it is for.
        assertThat(jdbc.sql("SELECT scheduled_for FROM sync_jobs WHERE integration_id IN (?, ?) AND trigger = 'nightly'")
                .params(UUID.fromString(eastId), UUID.fromString(westId)).query(java.sql.Timestamp.class).list())
                .hasSize(4)
                .allSatisfy(scheduledFor -> assertThat(scheduledFor.toInstant())
                        .isBetween(fired.minusSeconds(1), Instant.now()));
        assertThat(countRecords(eastId, "account")).isEqualTo(3);
        assertThat(countRecords(westId, "account")).isEqualTo(4);

        assertThat(api.delete("/api/v1/integrations/" + eastId).json().get("status").asText()).isEqualTo("disconnected");
        assertThat(SALESFORCE.revoked()).isNotEmpty();
        Api.Response wrong = purge(api, eastId, "PURGE HUBSPOT");
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(countRecords(eastId, "account")).isEqualTo(3);
        Api.Response purged = purge(api, eastId, "PURGE SALESFORCE");
        assertThat(purged.status()).isEqualTo(200);
        assertThat(purged.json().get("purged_records").asInt()).isEqualTo(3);
        assertThat(countRecords(westId, "account")).isEqualTo(4);
    }

    @Test
    void anOrgsScheduleQueuesBothLanesForItsFireTime() throws Exception {
        Api api = newWorkspace();
        SalesforceDouble.Org org = SALESFORCE.org("00D000000000011AAA", false);
        org.generate("Account", 2, RECENT, Duration.ofSeconds(1));
        String id = SalesforceConnections.connect(api, SALESFORCE, org, "environment=production");

        Instant fired = Instant.now();
        camel.getComponent("quartz", QuartzComponent.class).getScheduler().triggerJob(new JobKey(id, "salesforce"));
        awaitJobs("scheduled", id);
        assertThat(SyncStatus.awaitIdle(api, id).get("objects").get("accounts").get("status").asText())
                .isEqualTo("succeeded");
        assertThat(jdbc.sql("SELECT lane, scheduled_for FROM sync_jobs WHERE integration_id = ? AND trigger = 'scheduled'")
                .param(UUID.fromString(id)).query().listOfRows())
                .extracting(row -> row.get("lane"))
                .containsExactlyInAnyOrder("accounts", "contacts");
        assertThat(jdbc.sql("SELECT scheduled_for FROM sync_jobs WHERE integration_id = ? AND trigger = 'scheduled'")
                .param(UUID.fromString(id)).query(java.sql.Timestamp.class).list())
                .allSatisfy(scheduledFor -> assertThat(scheduledFor.toInstant())
                        .isBetween(fired.minusSeconds(1), Instant.now()));
        assertThat(countRecords(id, "account")).isEqualTo(2);
    }

    /** Waits until each integration has its two lanes' jobs with this trigger. */
    private void awaitJobs(String trigger, String... integrationIds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (jdbc.sql("SELECT count(*) FROM sync_jobs WHERE integration_id = ANY (?::uuid[]) AND trigger = ?")
                .params(integrationIds, trigger).query(Long.class).single() < 2L * integrationIds.length) {
            assertThat(System.nanoTime()).as("the " + trigger + " trigger queued its jobs").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void theSessionBrokerAnswersOnlyThisNodesOwnComponents() {
        Api api = newWorkspace();
        SalesforceDouble.Org org = SALESFORCE.org("00D000000000010AAA", false);
        String id = SalesforceConnections.connect(api, SALESFORCE, org, "environment=production");
        String component;
        try (SalesforceComponents.Lease lease = components.lease(UUID.fromString(id))) {
            component = lease.name();
        }

        for (String secret : List.of("", "guess", SalesforceDouble.CLIENT_SECRET)) {
            Api.Response answer = anonymous().postRaw("/internal/salesforce-sessions/" + id + "/" + component
                            + "/services/oauth2/token",
                    "grant_type=refresh_token&client_id=tributary&refresh_token=session&client_secret=" + secret,
                    "application/x-www-form-urlencoded");
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().get("error").asText()).isEqualTo("invalid_grant");
            assertThat(answer.text()).doesNotContain("access_token", "instance_url");
        }
    }

    private Api.Response purge(Api api, String id, String confirmation) {
        return api.send(api.request("/api/v1/integrations/" + id + "?purge=true")
                .header("Content-Type", "application/json")
                .method("DELETE", java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"confirm\":\"" + confirmation + "\"}")));
    }

    private List<String> requestSync(Api api, String integrationId, Map<String, Object> body) {
        Api.Response response = api.post("/api/v1/integrations/" + integrationId + "/sync", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return StreamSupport.stream(response.json().get("sync_run_ids").spliterator(), false)
                .map(JsonNode::asText).toList();
    }

    private long countRecords(String integrationId, String objectType) {
        return jdbc.sql("SELECT count(*) FROM source_records WHERE integration_id = ? AND system = 'salesforce'"
                        + " AND object_type = ?")
                .params(UUID.fromString(integrationId), objectType).query(Long.class).single();
    }

    private String firstId(String integrationId, String objectType) {
        return jdbc.sql("SELECT min(object_id) FROM source_records WHERE integration_id = ? AND object_type = ?")
                .params(UUID.fromString(integrationId), objectType).query(String.class).single();
    }
}
