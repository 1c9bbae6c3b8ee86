package io.tributary.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class HubSpotConnectIT extends AppTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CamelContext camel;

    @BeforeEach
    void resetHubSpot() {
        HUBSPOT.reset();
    }

    @Test
    void connectRedirectsToHubSpotsAuthorizePageWithASingleUseState() {
        Api api = newWorkspace();
        Api.Response redirect = api.get("/app/integrations/hubspot/connect?name=Sales");
        assertThat(redirect.status()).isEqualTo(302);
        URI authorize = URI.create(redirect.header("Location"));
        assertThat(authorize.toString()).startsWith(HUBSPOT.baseUrl() + "/oauth/authorize?");
        Map<String, String> query = HubSpotConnections.query(authorize);
        assertThat(query).containsEntry("client_id", HubSpotDouble.CLIENT_ID)
                .containsEntry("redirect_uri", "http://localhost:" + port + "/app/integrations/hubspot/callback")
                .containsEntry("scope", "crm.objects.companies.read crm.objects.contacts.read crm.objects.deals.read oauth");
        assertThat(query.get("state")).hasSizeGreaterThanOrEqualTo(40);

        String jsonState = HubSpotConnections.startConnect(api, "Sales");
        assertThat(jsonState).isNotEqualTo(query.get("state"));
        // Only a hash of the state is kept server-side.
        assertThat(jdbc.sql("SELECT count(*) FROM oauth_states WHERE state_hash = ?").param(jsonState)
                .query(Long.class).single()).isZero();
        assertThat(anonymous().get("/app/integrations/hubspot/connect").status()).isEqualTo(401);
    }

    @Test
    void callbackStoresEncryptedTokensAndCreatesTheIntegration() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(7001, "acme.hubspot.com");
        String state = HubSpotConnections.startConnect(api, "Acme CRM");
        Api.Response done = HubSpotConnections.callback(anonymous(), state, HUBSPOT.issueCode(portal));

        assertThat(done.status()).isEqualTo(302);
        Map<String, String> redirect = HubSpotConnections.query(URI.create(done.header("Location")));
        assertThat(done.header("Location")).startsWith("http://localhost:" + port + "/console/integrations?");
        assertThat(redirect).containsEntry("connected", "hubspot").containsEntry("reconnected", "false");
        String id = redirect.get("integration_id");

        JsonNode integration = api.get("/api/v1/integrations/" + id).json();
        assertThat(integration.get("provider").asText()).isEqualTo("hubspot");
        assertThat(integration.get("name").asText()).isEqualTo("Acme CRM");
        assertThat(integration.get("status").asText()).isEqualTo("connected");
        assertThat(integration.get("config").get("hub_id").asLong()).isEqualTo(7001);
        assertThat(integration.get("config").get("hub_domain").asText()).isEqualTo("acme.hubspot.com");
        assertThat(integration.toString()).doesNotContain("token");
        byte[] sealed = jdbc.sql("SELECT credentials FROM integrations WHERE id = ?").param(UUID.fromString(id))
                .query(byte[].class).single();
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("access_token", "refresh_token");
        assertThat(HUBSPOT.tokenGrants("authorization_code")).isEqualTo(1);
        // Connected portals are scheduled.
        assertThat(camel.getRoute("hubspot-sync-schedule-" + id)).isNotNull();
    }

    @Test
    void anUnknownReusedOrExpiredStateIsRefusedAndCreatesNothing() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(7002, "replay.hubspot.com");

        Api.Response unknown = HubSpotConnections.callback(anonymous(), "made-up-state", HUBSPOT.issueCode(portal));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).isEqualTo("invalid_state");

        String state = HubSpotConnections.startConnect(api, null);
        assertThat(HubSpotConnections.callback(anonymous(), state, HUBSPOT.issueCode(portal)).status()).isEqualTo(302);
        Api.Response replay = HubSpotConnections.callback(anonymous(), state, HUBSPOT.issueCode(portal));
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.json().get("error").asText()).isEqualTo("invalid_state");

        String expiring = HubSpotConnections.startConnect(api, "late");
        jdbc.sql("UPDATE oauth_states SET expires_at = now() - interval '1 second' WHERE used_at IS NULL").update();
        assertThat(HubSpotConnections.callback(anonymous(), expiring, HUBSPOT.issueCode(portal)).status()).isEqualTo(400);

        assertThat(api.get("/api/v1/integrations").json().get("items")).hasSize(1);
        assertThat(HUBSPOT.tokenGrants("authorization_code")).isEqualTo(1);
    }

    @Test
    void aDeniedConsentOrFailedExchangeRedirectsWithAnError() {
        Api api = newWorkspace();
        String denied = HubSpotConnections.startConnect(api, null);
        Api.Response deniedAnswer = anonymous().get("/app/integrations/hubspot/callback?error=access_denied&state=" + denied);
        assertThat(deniedAnswer.status()).isEqualTo(302);
        assertThat(HubSpotConnections.query(URI.create(deniedAnswer.header("Location")))).containsEntry("error", "access_denied");

        String badCode = HubSpotConnections.startConnect(api, null);
        Api.Response failed = HubSpotConnections.callback(anonymous(), badCode, "not-a-code-hubspot-issued");
        assertThat(failed.status()).isEqualTo(302);
        assertThat(HubSpotConnections.query(URI.create(failed.header("Location"))))
                .containsEntry("error", "token_exchange_failed");
        assertThat(api.get("/api/v1/integrations").json().get("items")).isEmpty();
    }

    @Test
    void theSamePortalReconnectsInOneWorkspaceAndIsSeparateInAnother() {
        Api first = newWorkspace();
        Api second = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(7003, "shared.hubspot.com");
        HubSpotDouble.Portal other = HUBSPOT.portal(7004, "other.hubspot.com");

        String id = HubSpotConnections.connect(first, HUBSPOT, portal, "Shared");
        String again = HubSpotConnections.connect(first, HUBSPOT, portal, "Shared");
        String otherPortal = HubSpotConnections.connect(first, HUBSPOT, other, "Other");
        String elsewhere = HubSpotConnections.connect(second, HUBSPOT, portal, "Shared");

        assertThat(again).isEqualTo(id);
        assertThat(otherPortal).isNotEqualTo(id);
        assertThat(elsewhere).isNotIn(id, otherPortal);
        assertThat(first.get("/api/v1/integrations").json().get("items")).hasSize(2);
        assertThat(second.get("/api/v1/integrations").json().get("items")).hasSize(1);
        assertThat(second.get("/api/v1/integrations/" + id).status()).isEqualTo(404);
    }
}
