package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.HeldRequests;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import io.tributary.support.SalesforceConnections;
import io.tributary.support.SalesforceDouble;
import io.tributary.support.SyncStatus;
import io.tributary.support.Syncs;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A provider that accepts a request in the middle of a sync and never answers it: the call ends at
 * its deadline (tributary.*.request-timeout, 5 s under test), is retried like any transient failure,
 * and the sync goes on from there — every record stored once, the run ended within the deadline
 * plus a small margin.
 */
class ProviderTimeoutsIT extends AppTest {

    private static final Instant RECENT = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** What the rest of the run may take on a busy two-core machine, besides the one deadline it waited out. */
    private static final Duration MARGIN = Duration.ofSeconds(15);

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void releaseHeldRequests() {
        HUBSPOT.releaseHeld();
        SALESFORCE.releaseHeld();
    }

    @Test
    void aHubSpotSearchPageThatIsNeverAnsweredIsAskedAgainAndTheSyncGoesOn() throws Exception {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8101, "silent.hubspot.com");
        portal.generate("companies", 1_000, 1, RECENT, Duration.ofSeconds(1));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Silent");
        // The third page of the search is accepted and never answered.
        HeldRequests.Hold silent = HUBSPOT.hold(portal, "/crm/v3/objects/companies/search", 2);

        syncCompaniesWaitingOutOneDeadline(api, id, silent);
    }

    @Test
    void aHubSpotTokenRefreshThatIsNeverAnsweredIsAskedAgainAndTheSyncGoesOn() throws Exception {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8102, "silent-oauth.hubspot.com");
        portal.generate("companies", 1_000, 1, RECENT, Duration.ofSeconds(1));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Silent OAuth");
        // The third search page meets a revoked access token; the refresh it makes is never answered.
        HUBSPOT.expireAccessTokensAfter(2);
        HeldRequests.Hold silent = HUBSPOT.holdNext(portal, "/oauth/v1/token");

        syncCompaniesWaitingOutOneDeadline(api, id, silent);
    }

    @Test
    void aSalesforcePageThatIsNeverAnsweredIsAskedAgainOnAFreshComponentAndTheSyncGoesOn() throws Exception {
        Api api = newWorkspace();
        SalesforceDouble.Org org = SALESFORCE.org("00D000000000101AAA", false);
        org.generate("Account", 5_000, RECENT, Duration.ofSeconds(1));
        String id = SalesforceConnections.connect(api, SALESFORCE, org, "environment=production");
        // The second page (the first nextRecordsUrl: a query locator, 01g…) is accepted and never answered.
        HeldRequests.Hold silent = SALESFORCE.holdNext(org, "/services/data/v" + SalesforceDouble.API_VERSION
                + "/query/01g");

        List<String> runIds = Syncs.request(api, id, Map.of("backfill", "all"));
        SyncStatus.awaitIdle(api, id);

        assertThat(silent.hasArrived()).isTrue();
        assertSucceededAfterOneDeadline(runIds.stream().map(runId -> api.get("/api/v1/sync-runs/" + runId).json())
                .filter(run -> run.get("object_type").asText().equals("accounts")).findFirst().orElseThrow());
        assertStoredOnce(id, "salesforce", 5_000);
    }

    /** Syncs the portal's 1,000 companies, one of whose calls the hold leaves unanswered. */
    private void syncCompaniesWaitingOutOneDeadline(Api api, String integrationId, HeldRequests.Hold silent) {
        List<String> runIds = Syncs.request(api, integrationId,
                Map.of("objects", List.of("companies"), "backfill", "30d"));
        SyncStatus.awaitIdle(api, integrationId);

        assertThat(silent.hasArrived()).isTrue();
        assertSucceededAfterOneDeadline(api.get("/api/v1/sync-runs/" + runIds.get(0)).json());
        assertStoredOnce(integrationId, "hubspot", 1_000);
    }

    /** The run succeeded, having waited out one request deadline and not much more. */
    private static void assertSucceededAfterOneDeadline(JsonNode run) {
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("succeeded");
        assertThat(run.get("duration_ms").asLong()).isBetween(REQUEST_TIMEOUT.toMillis(),
                REQUEST_TIMEOUT.plus(MARGIN).toMillis());
    }

    /** Every record is there, written once: none missing, none written twice (version 1). */
    private void assertStoredOnce(String integrationId, String system, long expected) {
        Map<String, Object> counts = jdbc.sql("""
                        SELECT count(*) AS records, count(DISTINCT object_id) AS distinct_ids,
                               count(*) FILTER (WHERE version > 1) AS rewritten
                        FROM source_records WHERE integration_id = ? AND system = ?""")
                .params(UUID.fromString(integrationId), system).query().singleRow();
        assertThat(counts).containsEntry("records", expected).containsEntry("distinct_ids", expected)
                .containsEntry("rewritten", 0L);
    }
}
