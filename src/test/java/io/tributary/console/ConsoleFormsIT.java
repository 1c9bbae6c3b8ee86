package io.tributary.console;

import static io.tributary.support.ConsoleClient.numbers;
import static io.tributary.support.ConsoleClient.pagerLink;
import static io.tributary.support.ConsoleClient.signedIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.ConsoleClient;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import io.tributary.support.SyncStatus;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Console forms the browser test does not walk: Salesforce's environments, a busy sync, connect errors, filters, paging. */
class ConsoleFormsIT extends AppTest {

    private static final Pattern FETCHED_CELL = Pattern.compile("class=\"num fetched\">(\\d+)<");

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void resetHubSpot() {
        HUBSPOT.reset();
    }

    @Test
    void connectSalesforceGoesToTheChosenEnvironmentsLoginHostAndRefusesOtherDomains() {
        ConsoleClient console = signedIn(port, newWorkspace());
        Api.Response sandbox = console.submit("/console/integrations", "/console/integrations/salesforce/connect",
                Map.of("environment", "sandbox", "name", "Sandbox org"));
        assertThat(sandbox.status()).isEqualTo(302);
        URI authorize = URI.create(sandbox.header("Location"));
        assertThat(authorize.getScheme() + "://" + authorize.getAuthority())
                .isEqualTo(SALESFORCE.baseUrl().replace("localhost", "127.0.0.1"));
        assertThat(HubSpotConnections.query(authorize)).containsKey("state").containsKey("code_challenge");

        Api.Response custom = console.submit("/console/integrations", "/console/integrations/salesforce/connect",
                Map.of("environment", "custom", "domain", "evil.example.com"));
        assertThat(custom.header("Location")).endsWith("/console/integrations");
        assertThat(console.follow(custom).text()).contains("Domain must be your org&#39;s My Domain host");
    }

    @Test
    void aConnectStartedInTheConsoleCanOnlyBeFinishedByThatBrowser() {
        Api owner = newWorkspace();
        ConsoleClient console = signedIn(port, owner);
        HubSpotDouble.Portal portal = HUBSPOT.portal(9710, "bound.hubspot.com");

        // The consent link handed to someone else: their browser brings back a valid code and state.
        String lured = HubSpotConnections.query(URI.create(console.submit("/console/integrations",
                "/console/integrations/hubspot/connect", Map.of()).header("Location"))).get("state");
        Api.Response elsewhere = anonymous().get("/app/integrations/hubspot/callback?code="
                + HUBSPOT.issueCode(portal) + "&state=" + lured);
        assertThat(elsewhere.status()).isEqualTo(302);
        assertThat(HubSpotConnections.query(URI.create(elsewhere.header("Location"))))
                .containsEntry("error", "other_browser");
        assertThat(owner.get("/api/v1/integrations").json().get("items")).isEmpty();

        // The browser that started it finishes it.
        String own = HubSpotConnections.query(URI.create(console.submit("/console/integrations",
                "/console/integrations/hubspot/connect", Map.of()).header("Location"))).get("state");
        Api.Response done = console.get("/app/integrations/hubspot/callback?code=" + HUBSPOT.issueCode(portal)
                + "&state=" + own);
        assertThat(HubSpotConnections.query(URI.create(done.header("Location")))).containsEntry("connected", "hubspot");
        assertThat(owner.get("/api/v1/integrations").json().get("items")).hasSize(1);
    }

    @Test
    void syncNowWhileASyncIsRunningSaysSoAndStartsNothing() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(9702, "busy-console.hubspot.com");
        portal.generate("companies", 4_000, 1, Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS),
                Duration.ofSeconds(1));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Busy");
        ConsoleClient console = signedIn(port, api);

        Map<String, String> form = Map.of("_csrf", console.csrf("/console/integrations"));
        Api.Response first = console.post("/console/integrations/" + id + "/sync", form);
        assertThat(console.follow(first).text()).contains("Sync started (3 runs)");
        Api.Response second = console.post("/console/integrations/" + id + "/sync", form);
        assertThat(console.follow(second).text()).contains("Sync already in progress");
        SyncStatus.awaitIdle(api, id);
        assertThat(api.get("/api/v1/sync-runs?integration_id=" + id).json().get("total").asInt()).isEqualTo(3);
    }

    @Test
    void anOAuthConnectsOutcomeIsShownOnTheIntegrationsPage() {
        ConsoleClient console = signedIn(port, newWorkspace());
        assertThat(console.get("/console/integrations?error=access_denied&provider=hubspot").text())
                .contains("HubSpot was not connected: the connection was declined on the provider&#39;s consent page.");
        assertThat(console.get("/console/integrations?connected=salesforce&reconnected=true").text())
                .contains("Salesforce reconnected.");
    }

    @Test
    void syncRunsFiltersAreCheckedLikeTheApisAndAnEmptyTableSaysWhy() {
        ConsoleClient console = signedIn(port, newWorkspace());
        assertThat(console.get("/console/sync-runs").text()).contains("No sync runs")
                .contains("press Sync now on the Integrations page");
        assertThat(console.get("/console/sync-runs?provider=hubspot&status=failed").text())
                .contains("No run matches these filters");
        Api.Response bogus = console.get("/console/sync-runs?status=bogus");
        assertThat(bogus.status()).isEqualTo(422);
        assertThat(bogus.text()).contains("Status must be one of");
        assertThat(console.get("/console/webhook-events").text()).contains("No webhook events");
    }

    @Test
    void syncRunsArePagedTwentyAtATimeNewestFirstAndThePagerKeepsTheFilters() {
        Api api = newWorkspace();
        String integrationId = HubSpotConnections.connect(api, HUBSPOT, HUBSPOT.portal(9703, "paged.hubspot.com"), "Paged");
        UUID workspaceId = jdbc.sql("SELECT workspace_id FROM integrations WHERE id = ?")
                .param(UUID.fromString(integrationId)).query(UUID.class).single();
        // 25 finished runs, one a minute, told apart by their fetched count (100 = newest); 3 of them failed.
        Instant now = Instant.now();
        for (int i = 0; i < 25; i++) {
            Instant queued = now.minus(i, ChronoUnit.MINUTES);
            jdbc.sql("""
                            INSERT INTO sync_runs (id, workspace_id, integration_id, provider, object_type, trigger, status,
                                                   fetched, ingested, queued_at, started_at, finished_at, duration_ms)
                            VALUES (?, ?, ?, 'hubspot', 'contacts', 'scheduled', ?, ?, ?, ?, ?, ?, 1500)""")
                    .params(UUID.randomUUID(), workspaceId, UUID.fromString(integrationId),
                            i % 8 == 1 ? "failed" : "succeeded", 100 + i, 100 + i, Timestamp.from(queued),
                            Timestamp.from(queued), Timestamp.from(queued.plusMillis(1500)))
                    .update();
        }
        ConsoleClient console = signedIn(port, api);

        String first = console.get("/console/sync-runs").text();
        assertThat(numbers(first, FETCHED_CELL)).isEqualTo(IntStream.range(100, 120).boxed().toList());
        assertThat(first).contains("25 runs", "Page 1 of 2").doesNotContain("Newer");
        String second = console.get(pagerLink(first, "Older")).text();
        assertThat(numbers(second, FETCHED_CELL)).isEqualTo(IntStream.range(120, 125).boxed().toList());
        assertThat(second).contains("Page 2 of 2").doesNotContain("Older →");
        assertThat(numbers(console.get(pagerLink(second, "Newer")).text(), FETCHED_CELL)).isEqualTo(numbers(first, FETCHED_CELL));

        String succeeded = console.get("/console/sync-runs?provider=hubspot&status=succeeded").text();
        assertThat(succeeded).contains("22 runs", "Page 1 of 2");
        assertThat(numbers(succeeded, FETCHED_CELL)).hasSize(20).doesNotContain(101, 109, 117);
        String olderSucceeded = pagerLink(succeeded, "Older");
        assertThat(olderSucceeded).contains("provider=hubspot").contains("status=succeeded").contains("page=1");
        assertThat(numbers(console.get(olderSucceeded).text(), FETCHED_CELL)).containsExactly(123, 124);
        assertThat(console.get("/console/sync-runs?status=failed").text()).contains("3 runs")
                .doesNotContain("Page 1 of");
    }
}
