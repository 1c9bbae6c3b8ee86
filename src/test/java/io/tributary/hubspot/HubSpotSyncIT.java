package io.tributary.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import io.tributary.support.HubSpotTestLimits;
import io.tributary.support.SyncStatus;
import io.tributary.support.TestSchedules;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class HubSpotSyncIT extends AppTest {

    private static final Instant RECENT = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CamelContext camel;

    @Autowired
    HubSpotAccessTokens accessTokens;

    @BeforeEach
    void resetHubSpot() {
        HUBSPOT.reset();
    }

    @Test
    void syncs25000CompaniesOverManyPagesAndMovesTheCursorToTheLastOne() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8001, "many.hubspot.com");
        portal.generate("companies", 25_000, 1, RECENT, Duration.ofMillis(100));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Many");

        List<String> runIds = requestSync(api, id, Map.of("objects", List.of("companies")));
        JsonNode status = awaitIdle(api, id);

        JsonNode companies = status.get("objects").get("companies");
        assertThat(companies.get("status").asText()).isEqualTo("succeeded");
        assertThat(companies.get("total_synced").asLong()).isEqualTo(25_000);
        assertThat(companies.get("last_run_id").asText()).isEqualTo(runIds.get(0));
        assertThat(companies.get("cursor").get("time").asText())
                .isEqualTo(RECENT.plus(Duration.ofMillis(100).multipliedBy(24_999)).toString());
        assertThat(countRecords(id, "company")).isEqualTo(25_000);
        assertThat(HUBSPOT.requests("/crm/v3/objects/companies/search"))
                .isGreaterThanOrEqualTo(25_000 / HubSpotTestLimits.PAGE_SIZE);

        JsonNode run = api.get("/api/v1/integrations/" + id + "/sync/runs").json().get("items").get(0);
        assertThat(run.get("fetched").asLong()).isEqualTo(25_000);
        assertThat(run.get("ingested").asLong()).isEqualTo(25_000);
        assertThat(run.get("failed").asLong()).isZero();
        assertThat(run.get("trigger").asText()).isEqualTo("manual");
        assertThat(run.get("duration_ms").asLong()).isPositive();

        JsonNode record = api.get("/api/v1/records/hubspot/company/1?integration_id=" + id).json();
        assertThat(record.get("payload").get("properties").get("name").asText()).isNotBlank();
        assertThat(record.get("updated_at").asText()).isEqualTo(RECENT.toString());
    }

    @Test
    void twelveThousandRecordsSharingOneTimestampAreAllSyncedPastTheSearchCap() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8002, "sametime.hubspot.com");
        portal.generate("contacts", 12_000, 1, RECENT, Duration.ZERO);
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Same time");

        requestSync(api, id, Map.of("objects", List.of("contacts")));
        JsonNode contacts = awaitIdle(api, id).get("objects").get("contacts");

        assertThat(contacts.get("status").asText()).isEqualTo("succeeded");
        assertThat(countRecords(id, "contact")).isEqualTo(12_000);
    }

    @Test
    void incrementalSyncReadsOnlyWhatChangedSinceTheCursorAndCarriesAssociations() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8003, "assoc.hubspot.com");
        portal.put("companies", 10, RECENT, Map.of("name", "Acme"));
        portal.put("contacts", 20, RECENT, Map.of("email", "ada@acme.test"));
        portal.put("deals", 30, RECENT, Map.of("dealname", "Big deal", "dealstage", "closedwon"));
        portal.associate("contacts", 20, "companies", 10);
        portal.associate("deals", 30, "companies", 10);
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Assoc");

        requestSync(api, id, Map.of());
        awaitIdle(api, id);
        JsonNode contact = api.get("/api/v1/records/hubspot/contact/20?integration_id=" + id).json();
        assertThat(contact.get("payload").get("associations").get("companies").get(0).asText()).isEqualTo("10");
        JsonNode deal = api.get("/api/v1/records/hubspot/deal/30?integration_id=" + id).json();
        assertThat(deal.get("payload").get("associations").get("companies").get(0).asText()).isEqualTo("10");

        // Two hours later one company changes: the next sync fetches it (plus the lookback), not the rest.
        portal.generate("companies", 300, 1000, RECENT.minus(Duration.ofDays(10)), Duration.ofSeconds(1));
        portal.put("companies", 10, Instant.now().minusSeconds(5), Map.of("name", "Acme Renamed"));
        int searchesBefore = HUBSPOT.requests("/crm/v3/objects/companies/search");
        requestSync(api, id, Map.of("objects", List.of("companies")));
        awaitIdle(api, id);

        assertThat(HUBSPOT.requests("/crm/v3/objects/companies/search") - searchesBefore).isEqualTo(1);
        JsonNode company = api.get("/api/v1/records/hubspot/company/10?integration_id=" + id).json();
        assertThat(company.get("payload").get("properties").get("name").asText()).isEqualTo("Acme Renamed");
        assertThat(company.get("version").asInt()).isEqualTo(2);
        // The old companies were never in the window.
        assertThat(countRecords(id, "company")).isEqualTo(1);
    }

    @Test
    void aNulCharacterInARecordIsStoredAsTheReplacementCharacterAndTheSyncGoesOn() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8030, "nul.hubspot.com");
        portal.generate("companies", 250, 1, RECENT.minusSeconds(600), Duration.ofSeconds(1));
        // Someone pasted a NUL into a CRM field: PostgreSQL's jsonb cannot hold it.
        portal.put("companies", 120, RECENT.minusSeconds(480), Map.of("name", "Acme\0 Corp"));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Nul");

        requestSync(api, id, Map.of("objects", List.of("companies")));
        JsonNode status = awaitIdle(api, id);

        assertThat(status.get("objects").get("companies").get("status").asText()).isEqualTo("succeeded");
        assertThat(countRecords(id, "company")).isEqualTo(250);
        JsonNode company = api.get("/api/v1/records/hubspot/company/120?integration_id=" + id).json();
        assertThat(company.get("payload").get("properties").get("name").asText()).isEqualTo("Acme\uFFFD Corp");
    }

    @Test
    void aTokenExpiringMidSyncIsRefreshedOnceAndTheSyncCompletes() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8004, "expiry.hubspot.com");
        portal.generate("companies", 3_000, 1, RECENT, Duration.ofSeconds(1));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Expiry");
        HUBSPOT.expireAccessTokensAfter(5);

        requestSync(api, id, Map.of("objects", List.of("companies")));
        JsonNode companies = awaitIdle(api, id).get("objects").get("companies");

        assertThat(companies.get("status").asText()).isEqualTo("succeeded");
        assertThat(countRecords(id, "company")).isEqualTo(3_000);
        assertThat(HUBSPOT.tokenGrants("refresh_token")).isEqualTo(1);
    }

    @Test
    void aTokenNearItsExpiryIsRefreshedBeforeUse() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8005, "short.hubspot.com");
        portal.put("companies", 1, RECENT, Map.of("name", "Short"));
        // HubSpot says this token lives 4 minutes: inside the 5-minute margin, so it is refreshed first.
        HUBSPOT.setAccessTokenLifetimeSeconds(240);
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Short");
        HUBSPOT.setAccessTokenLifetimeSeconds(1800);

        requestSync(api, id, Map.of("objects", List.of("companies")));
        assertThat(awaitIdle(api, id).get("objects").get("companies").get("status").asText()).isEqualTo("succeeded");
        assertThat(HUBSPOT.tokenGrants("refresh_token")).isEqualTo(1);
        requestSync(api, id, Map.of("objects", List.of("companies")));
        awaitIdle(api, id);
        assertThat(HUBSPOT.tokenGrants("refresh_token")).isEqualTo(1);
    }

    @Test
    void aRevokedRefreshTokenPausesTheIntegrationUntilItIsConnectedAgain() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8006, "revoked.hubspot.com");
        portal.put("companies", 1, RECENT, Map.of("name", "Gone"));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Revoked");
        HUBSPOT.revokeRefreshTokens();
        HUBSPOT.expireAccessTokens();

        requestSync(api, id, Map.of());
        JsonNode status = awaitIdle(api, id);

        assertThat(status.get("integration_status").asText()).isEqualTo("reauth_required");
        assertThat(status.get("objects").get("companies").get("status").asText()).isEqualTo("failed");
        assertThat(status.get("objects").get("companies").get("error_message").asText()).contains("connect the portal again");
        assertThat(status.get("objects").get("contacts").get("status").asText()).isEqualTo("skipped");
        assertThat(HUBSPOT.tokenGrants("refresh_token")).isZero();
        assertThat(camel.getRoute("hubspot-sync-schedule-" + id)).isNull();
        Api.Response refused = api.post("/api/v1/integrations/" + id + "/sync", Map.of());
        assertThat(refused.status()).isEqualTo(409);

        assertThat(HubSpotConnections.connect(api, HUBSPOT, portal, "Revoked")).isEqualTo(id);
        assertThat(api.get("/api/v1/integrations/" + id).json().get("status").asText()).isEqualTo("connected");
        assertThat(camel.getRoute("hubspot-sync-schedule-" + id)).isNotNull();
    }

    @Test
    void aStormOf429sIsWaitedOutAndAHealthySyncNeverMeetsOne() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8007, "busy.hubspot.com");
        portal.generate("companies", 6_000, 1, RECENT, Duration.ofSeconds(1));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Busy");

        HUBSPOT.enforceRateLimits(HubSpotTestLimits.REQUESTS_PER_TEN_SECONDS, HubSpotTestLimits.SEARCHES_PER_SECOND);
        requestSync(api, id, Map.of("objects", List.of("companies")));
        assertThat(awaitIdle(api, id).get("objects").get("companies").get("status").asText()).isEqualTo("succeeded");
        assertThat(HUBSPOT.throttled()).isZero();

        HUBSPOT.throttleNext(4, 1);
        api.post("/api/v1/integrations/" + id + "/cursor/reset", Map.of("object", "companies"));
        requestSync(api, id, Map.of("objects", List.of("companies")));
        JsonNode companies = awaitIdle(api, id).get("objects").get("companies");
        assertThat(companies.get("status").asText()).isEqualTo("succeeded");
        assertThat(HUBSPOT.throttled()).isEqualTo(4);
        assertThat(countRecords(id, "company")).isEqualTo(6_000);
    }

    @Test
    void serverErrorsAreRetriedAndA403FailsOnlyThatObjectWithAClearError() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8008, "scopes.hubspot.com");
        portal.put("companies", 1, RECENT, Map.of("name", "Visible"));
        portal.put("deals", 2, RECENT, Map.of("dealname", "Hidden"));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Scopes");
        HUBSPOT.forbid("deals");
        HUBSPOT.failNext(2, 502);

        requestSync(api, id, Map.of());
        JsonNode objects = awaitIdle(api, id).get("objects");

        assertThat(objects.get("companies").get("status").asText()).isEqualTo("succeeded");
        assertThat(objects.get("contacts").get("status").asText()).isEqualTo("succeeded");
        assertThat(objects.get("deals").get("status").asText()).isEqualTo("failed");
        assertThat(objects.get("deals").get("error_message").asText()).contains("403").contains("deals");
        assertThat(countRecords(id, "company")).isEqualTo(1);
    }

    @Test
    void twoPortalsWithTheSameIdsKeepSeparateRecords() {
        Api api = newWorkspace();
        HubSpotDouble.Portal east = HUBSPOT.portal(8009, "east.hubspot.com");
        HubSpotDouble.Portal west = HUBSPOT.portal(8010, "west.hubspot.com");
        east.put("companies", 42, RECENT, Map.of("name", "East 42"));
        west.put("companies", 42, RECENT, Map.of("name", "West 42"));
        String eastId = HubSpotConnections.connect(api, HUBSPOT, east, "East");
        String westId = HubSpotConnections.connect(api, HUBSPOT, west, "West");

        Api.Response all = api.post("/app/integrations/hubspot/sync", Map.of());
        assertThat(all.status()).isEqualTo(202);
        assertThat(all.json().get("sync_run_ids")).hasSize(6);
        awaitIdle(api, eastId);
        awaitIdle(api, westId);

        assertThat(api.get("/api/v1/records/hubspot/company/42").status()).isEqualTo(409);
        assertThat(api.get("/api/v1/records/hubspot/company/42?integration_id=" + eastId).json()
                .get("payload").get("properties").get("name").asText()).isEqualTo("East 42");
        assertThat(api.get("/api/v1/records/hubspot/company/42?integration_id=" + westId).json()
                .get("payload").get("properties").get("name").asText()).isEqualTo("West 42");
    }

    @Test
    void aSecondSyncWhileOneIsQueuedOrRunningIsSkipped() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8011, "busy-sync.hubspot.com");
        portal.generate("companies", 4_000, 1, RECENT, Duration.ofSeconds(1));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Busy sync");

        List<String> first = requestSync(api, id, Map.of());
        Api.Response second = api.post("/api/v1/integrations/" + id + "/sync", Map.of());

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("skipped").asBoolean()).isTrue();
        assertThat(second.json().get("reason").asText()).isEqualTo("sync_in_progress");
        JsonNode status = api.get("/api/v1/integrations/" + id + "/sync/status").json();
        assertThat(status.get("objects").get("companies").get("last_run_id").asText()).isEqualTo(first.get(0));
        assertThat(status.get("objects").get("companies").get("status").asText()).isIn("queued", "running");
        awaitIdle(api, id);
    }

    @Test
    void badSyncRequestsAreRefusedAndOtherWorkspacesSeeNothing() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8012, "bad.hubspot.com");
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Bad");
        String path = "/api/v1/integrations/" + id + "/sync";

        assertThat(api.post(path, Map.of("objects", List.of("tickets"))).status()).isEqualTo(422);
        assertThat(api.post(path, Map.of("mode", "everything")).status()).isEqualTo(422);
        assertThat(api.post(path, Map.of("backfill", "2y")).status()).isEqualTo(422);
        assertThat(api.post(path, Map.of("objects", "companies")).status()).isEqualTo(422);
        assertThat(api.post(path, "{not json").status()).isEqualTo(400);
        assertThat(newWorkspace().post(path, Map.of()).status()).isEqualTo(404);
        assertThat(newWorkspace().get("/api/v1/integrations/" + id + "/sync/status").status()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT count(*) FROM sync_runs WHERE integration_id = ?").param(UUID.fromString(id))
                .query(Long.class).single()).isZero();
    }

    @Test
    void fullModeWalksDealsTheirCompaniesAndTheirContactsAndCatalogOnlyStoresNoRecords() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8013, "full.hubspot.com");
        Instant old = RECENT.minus(Duration.ofDays(400));
        portal.put("deals", 1, old, Map.of("dealname", "Won", "dealstage", "closedwon"));
        portal.put("deals", 2, old, Map.of("dealname", "Lost", "dealstage", "closedlost"));
        portal.put("companies", 11, old, Map.of("name", "Won Co"));
        portal.put("companies", 12, old, Map.of("name", "Lost Co"));
        portal.put("contacts", 21, old, Map.of("email", "won@co.test"));
        portal.put("contacts", 22, old, Map.of("email", "lost@co.test"));
        portal.associate("deals", 1, "companies", 11);
        portal.associate("deals", 2, "companies", 12);
        portal.associate("contacts", 21, "companies", 11);
        portal.associate("contacts", 22, "companies", 12);
        portal.addPipeline("default", "Sales Pipeline", 0, List.of(
                new HubSpotDouble.Stage("closedlost", "Closed lost", 1),
                new HubSpotDouble.Stage("closedwon", "Closed won", 0)));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Full");

        JsonNode pipelines = api.get("/api/v1/integrations/" + id + "/hubspot/pipelines").json();
        assertThat(pipelines.get("items").get(0).get("label").asText()).isEqualTo("Sales Pipeline");
        assertThat(pipelines.get("items").get(0).get("stages").get(0).get("id").asText()).isEqualTo("closedwon");

        requestSync(api, id, Map.of("mode", "catalog_only", "deal_stages", List.of("closedwon")));
        awaitIdle(api, id);
        JsonNode catalog = api.get("/api/v1/integrations/" + id + "/catalog").json();
        assertThat(catalog.get("items")).extracting(item -> item.get("object_type").asText() + ":"
                + item.get("object_id").asText()).containsExactly("company:11", "contact:21", "deal:1");
        assertThat(api.get("/api/v1/integrations/" + id + "/catalog?object_type=deal").json().get("items")).hasSize(1);
        assertThat(countRecords(id, null)).isZero();

        requestSync(api, id, Map.of("mode", "full", "deal_stages", List.of("closedwon")));
        JsonNode objects = awaitIdle(api, id).get("objects");
        assertThat(objects.get("deals").get("status").asText()).isEqualTo("succeeded");
        assertThat(countRecords(id, "deal")).isEqualTo(1);
        assertThat(countRecords(id, "company")).isEqualTo(1);
        assertThat(countRecords(id, "contact")).isEqualTo(1);
    }

    @Test
    void disconnectWipesSecretsAndUnschedulesAndPurgeNeedsItsConfirmation() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8014, "bye.hubspot.com");
        portal.put("companies", 5, RECENT, Map.of("name", "Bye"));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Bye");
        requestSync(api, id, Map.of());
        awaitIdle(api, id);

        Api.Response wrong = api.send(api.request("/api/v1/integrations/" + id + "?purge=true")
                .header("Content-Type", "application/json")
                .method("DELETE", java.net.http.HttpRequest.BodyPublishers.ofString("{\"confirm\":\"yes\"}")));
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(api.get("/api/v1/integrations/" + id).json().get("status").asText()).isEqualTo("connected");

        Api.Response disconnected = api.delete("/api/v1/integrations/" + id);
        assertThat(disconnected.status()).isEqualTo(200);
        assertThat(disconnected.json().get("status").asText()).isEqualTo("disconnected");
        assertThat(jdbc.sql("SELECT credentials IS NULL FROM integrations WHERE id = ?").param(UUID.fromString(id))
                .query(Boolean.class).single()).isTrue();
        assertThat(HUBSPOT.refreshTokensRevoked()).hasSize(1);
        assertThat(camel.getRoute("hubspot-sync-schedule-" + id)).isNull();
        assertThat(countRecords(id, "company")).isEqualTo(1);

        Api.Response purged = api.send(api.request("/api/v1/integrations/" + id + "?purge=true")
                .header("Content-Type", "application/json")
                .method("DELETE", java.net.http.HttpRequest.BodyPublishers.ofString("{\"confirm\":\"PURGE HUBSPOT\"}")));
        assertThat(purged.status()).isEqualTo(200);
        assertThat(purged.json().get("purged_records").asInt()).isEqualTo(1);
        assertThat(countRecords(id, "company")).isZero();
    }

    @Test
    void eachPortalHasItsOwnQuartzScheduleThatQueuesIncrementalSyncs() throws InterruptedException {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8015, "cron.hubspot.com");
        portal.put("companies", 1, RECENT, Map.of("name", "Scheduled"));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Cron");
        assertThat(jdbc.sql("SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_group = 'hubspot' AND trigger_name = ?")
                .param(id).query(String.class).single()).as("the configured default")
                .isEqualTo(TestSchedules.NEVER);

        Api.Response invalid = api.send(api.request("/api/v1/integrations/" + id).header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"config\":{\"cron\":\"every minute\"}}")));
        assertThat(invalid.status()).isEqualTo(422);
        Api.Response everySecond = api.send(api.request("/api/v1/integrations/" + id).header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"config\":{\"cron\":\"0/1 * * * * ?\"}}")));
        assertThat(everySecond.status()).isEqualTo(200);
        assertThat(everySecond.json().get("config").get("cron").asText()).isEqualTo("0/1 * * * * ?");

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (countRuns(id, "scheduled") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(countRuns(id, "scheduled")).isPositive();
        awaitIdle(api, id);
        assertThat(countRecords(id, "company")).isEqualTo(1);
        api.delete("/api/v1/integrations/" + id);
        assertThat(jdbc.sql("SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'hubspot' AND trigger_name = ?")
                .param(id).query(Long.class).single()).isZero();
    }

    @Test
    void concurrentCallersNeedingAFreshTokenRefreshItOnce() throws Exception {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8016, "concurrent.hubspot.com");
        HUBSPOT.setAccessTokenLifetimeSeconds(60);
        UUID id = UUID.fromString(HubSpotConnections.connect(api, HUBSPOT, portal, "Concurrent"));
        HUBSPOT.setAccessTokenLifetimeSeconds(1800);

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<String>> tokens = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tokens.add(pool.submit(() -> accessTokens.accessToken(id)));
            }
            java.util.Set<String> distinct = new java.util.HashSet<>();
            for (java.util.concurrent.Future<String> token : tokens) {
                distinct.add(token.get());
            }
            assertThat(distinct).hasSize(1);
        } finally {
            pool.shutdown();
        }
        assertThat(HUBSPOT.tokenGrants("refresh_token")).isEqualTo(1);
    }

    @Test
    void tokensNeverReachTheLogs(org.springframework.boot.test.system.CapturedOutput output) {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8017, "quiet.hubspot.com");
        portal.put("companies", 1, RECENT, Map.of("name", "Quiet"));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Quiet");
        HUBSPOT.expireAccessTokens();
        requestSync(api, id, Map.of());
        awaitIdle(api, id);
        HUBSPOT.revokeRefreshTokens();
        HUBSPOT.expireAccessTokens();
        requestSync(api, id, Map.of());
        awaitIdle(api, id);

        assertThat(HUBSPOT.tokenGrants("refresh_token")).isEqualTo(1);
        // The double's refresh tokens are "na1-<uuid>", its access tokens "CN" + 128 base64url characters.
        assertThat(output.getAll()).doesNotContainPattern("na1-[0-9a-f]{8}-")
                .doesNotContainPattern("CN[A-Za-z0-9_-]{100}");
        assertThat(api.get("/api/v1/integrations/" + id + "/sync/runs").text())
                .doesNotContainPattern("na1-[0-9a-f]{8}-").doesNotContainPattern("CN[A-Za-z0-9_-]{100}");
    }

    private long countRuns(String integrationId, String trigger) {
        return jdbc.sql("SELECT count(*) FROM sync_runs WHERE integration_id = ? AND trigger = ?")
                .params(UUID.fromString(integrationId), trigger).query(Long.class).single();
    }

    private List<String> requestSync(Api api, String integrationId, Map<String, Object> body) {
        Api.Response response = api.post("/api/v1/integrations/" + integrationId + "/sync", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return java.util.stream.StreamSupport.stream(response.json().get("sync_run_ids").spliterator(), false)
                .map(JsonNode::asText).toList();
    }

    static JsonNode awaitIdle(Api api, String integrationId) {
        return SyncStatus.awaitIdle(api, integrationId);
    }

    private long countRecords(String integrationId, String objectType) {
        return jdbc.sql("SELECT count(*) FROM source_records WHERE integration_id = ? AND system = 'hubspot'"
                        + " AND (CAST(? AS text) IS NULL OR object_type = ?)")
                .params(UUID.fromString(integrationId), objectType, objectType).query(Long.class).single();
    }
}
