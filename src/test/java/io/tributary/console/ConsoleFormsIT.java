package io.tributary.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.ConsoleClient;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import io.tributary.support.SyncStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Console forms the browser test does not walk: Salesforce's environments, a busy sync, connect errors, filters. */
class ConsoleFormsIT extends AppTest {

    @AfterEach
    void resetHubSpot() {
        HUBSPOT.reset();
    }

    @Test
    void connectSalesforceGoesToTheChosenEnvironmentsLoginHostAndRefusesOtherDomains() {
        ConsoleClient console = signedIn(newWorkspace());
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
    void syncNowWhileASyncIsRunningSaysSoAndStartsNothing() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(9702, "busy-console.hubspot.com");
        portal.generate("companies", 4_000, 1, Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS),
                Duration.ofSeconds(1));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Busy");
        ConsoleClient console = signedIn(api);

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
        ConsoleClient console = signedIn(newWorkspace());
        assertThat(console.get("/console/integrations?error=access_denied&provider=hubspot").text())
                .contains("HubSpot was not connected: the connection was declined on the provider&#39;s consent page.");
        assertThat(console.get("/console/integrations?connected=salesforce&reconnected=true").text())
                .contains("Salesforce reconnected.");
    }

    @Test
    void syncRunsFiltersAreCheckedLikeTheApisAndAnEmptyTableSaysWhy() {
        ConsoleClient console = signedIn(newWorkspace());
        assertThat(console.get("/console/sync-runs").text()).contains("No sync runs")
                .contains("press Sync now on the Integrations page");
        assertThat(console.get("/console/sync-runs?provider=hubspot&status=failed").text())
                .contains("No run matches these filters");
        Api.Response bogus = console.get("/console/sync-runs?status=bogus");
        assertThat(bogus.status()).isEqualTo(422);
        assertThat(bogus.text()).contains("Status must be one of");
        assertThat(console.get("/console/webhook-events").text()).contains("No webhook events");
    }

    private ConsoleClient signedIn(Api api) {
        ConsoleClient console = new ConsoleClient(port);
        assertThat(console.signIn(api.apiKey()).status()).isEqualTo(302);
        return console;
    }
}
