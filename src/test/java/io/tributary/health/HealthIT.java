package io.tributary.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import io.tributary.support.Syncs;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthIT extends AppTest {

    private static final Instant RECENT = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void resetHubSpot() {
        HUBSPOT.reset();
    }

    @Test
    void livenessAndReadinessAreUpWithTheirComponentsAndOnlyTheOperatorSeesDetails() {
        Api.Response liveness = anonymous().get("/actuator/health/liveness");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.json().get("status").asText()).isEqualTo("UP");
        assertThat(liveness.json().get("components").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("livenessState", "camelLivenessState");

        Api.Response readiness = anonymous().get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        JsonNode components = readiness.json().get("components");
        assertThat(readiness.json().get("status").asText()).isEqualTo("UP");
        assertThat(components.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("readinessState", "db", "camelHealth");
        components.forEach(component -> {
            assertThat(component.get("status").asText()).isEqualTo("UP");
            assertThat(component.has("details")).isFalse();
        });

        JsonNode asOperator = admin().get("/actuator/health/readiness").json().get("components");
        assertThat(asOperator.get("db").get("details").get("database").asText()).isEqualTo("PostgreSQL");
        assertThat(asOperator.get("camelHealth").get("details").get("context").asText()).isEqualTo("UP");
        // A workspace's API key is no operator's: it sees statuses only.
        assertThat(newWorkspace().get("/actuator/health/readiness").json().get("components").get("db")
                .has("details")).isFalse();
    }

    @Test
    void anIntegrationNeedingReauthOrWithAFailedRunShowsInTheApiAndTheIntegrationsComponentNotInReadiness() {
        Api api = newWorkspace();
        HubSpotDouble.Portal revoked = HUBSPOT.portal(8201, "reauth-health.hubspot.com");
        revoked.put("companies", 1, RECENT, Map.of("name", "Soon revoked"));
        String reauthId = HubSpotConnections.connect(api, HUBSPOT, revoked, "Revoked");
        Syncs.runToEnd(api, reauthId);
        JsonNode healthy = api.get("/api/v1/integrations/" + reauthId).json().get("health");
        assertThat(healthy.get("status").asText()).isEqualTo("ok");
        assertThat(healthy.get("last_run").get("status").asText()).isEqualTo("succeeded");
        assertThat(healthy.get("last_run").get("error").isNull()).isTrue();

        HUBSPOT.revokeRefreshTokens();
        HUBSPOT.expireAccessTokens();
        Syncs.runToEnd(api, reauthId);
        // Connected after the revocation, so its tokens work; only its deals are out of scope.
        HubSpotDouble.Portal forbidden = HUBSPOT.portal(8202, "failed-health.hubspot.com");
        forbidden.put("companies", 2, RECENT, Map.of("name", "Visible"));
        String failingId = HubSpotConnections.connect(api, HUBSPOT, forbidden, "Forbidden");
        HUBSPOT.forbid("deals");
        Syncs.runToEnd(api, failingId);

        JsonNode reauth = api.get("/api/v1/integrations/" + reauthId).json();
        assertThat(reauth.get("status").asText()).isEqualTo("reauth_required");
        assertThat(reauth.get("health").get("status").asText()).isEqualTo("reauth_required");
        assertThat(reauth.get("health").get("last_run").get("status").asText()).isEqualTo("failed");
        assertThat(reauth.get("health").get("last_run").get("error").asText()).contains("connect the portal again");
        JsonNode failing = api.get("/api/v1/integrations/" + failingId).json().get("health");
        assertThat(failing.get("status").asText()).isEqualTo("last_run_failed");
        assertThat(failing.get("last_run").get("object_type").asText()).isEqualTo("deals");
        assertThat(failing.get("last_run").get("error").asText()).contains("403");
        assertThat(StreamSupport.stream(api.get("/api/v1/integrations").json().get("items").spliterator(), false)
                .map(item -> item.get("health").get("status").asText()))
                .containsExactlyInAnyOrder("reauth_required", "last_run_failed");

        Api.Response overall = admin().get("/actuator/health");
        assertThat(overall.status()).isEqualTo(200);
        assertThat(overall.json().get("status").asText()).isEqualTo("DEGRADED");
        JsonNode component = overall.json().get("components").get("integrations");
        assertThat(component.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(component.get("details").get("reauth_required").asLong()).isPositive();
        assertThat(component.get("details").get("last_run_failed").asLong()).isPositive();
        List<JsonNode> unhealthy = StreamSupport.stream(component.get("details").get("unhealthy").spliterator(), false)
                .toList();
        assertThat(unhealthy).anySatisfy(entry -> {
            assertThat(entry.get("id").asText()).isEqualTo(reauthId);
            assertThat(entry.get("provider").asText()).isEqualTo("hubspot");
            assertThat(entry.get("reason").asText()).isEqualTo("reauth_required");
        });
        assertThat(unhealthy).anySatisfy(entry -> {
            assertThat(entry.get("id").asText()).isEqualTo(failingId);
            assertThat(entry.get("reason").asText()).isEqualTo("last_run_failed");
            assertThat(entry.get("object_type").asText()).isEqualTo("deals");
        });
        assertThat(overall.text()).doesNotContain("Revoked", "Forbidden")
                .doesNotContainPattern("na1-[0-9a-f]{8}-").doesNotContainPattern("CN[A-Za-z0-9_-]{100}");

        // Publicly: the status, not which integrations; readiness stays UP (webhooks keep being taken).
        Api.Response anonymous = anonymous().get("/actuator/health");
        assertThat(anonymous.json().get("components").get("integrations").get("status").asText()).isEqualTo("DEGRADED");
        assertThat(anonymous.json().get("components").get("integrations").has("details")).isFalse();
        assertThat(anonymous.text()).doesNotContain(reauthId, failingId);
        Api.Response readiness = anonymous().get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().get("status").asText()).isEqualTo("UP");

        // Connected again and synced: healthy again, and no longer listed.
        HUBSPOT.reset();
        HubSpotDouble.Portal back = HUBSPOT.portal(8201, "reauth-health.hubspot.com");
        back.put("companies", 1, RECENT, Map.of("name", "Back"));
        assertThat(HubSpotConnections.connect(api, HUBSPOT, back, "Revoked")).isEqualTo(reauthId);
        Syncs.runToEnd(api, reauthId);
        assertThat(api.get("/api/v1/integrations/" + reauthId).json().get("health").get("status").asText())
                .isEqualTo("ok");
        assertThat(admin().get("/actuator/health").json().get("components").get("integrations").get("details")
                .get("unhealthy").findValuesAsText("id")).doesNotContain(reauthId).contains(failingId);
    }
}
