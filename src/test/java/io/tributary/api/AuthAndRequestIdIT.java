package io.tributary.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthAndRequestIdIT extends AppTest {

    @Test
    void adminCreatesWorkspaceWhoseKeyIsShownOnceAndWorks() {
        Api.Response created = admin().post("/admin/v1/workspaces", Map.of("name", "Acme"));

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.get("name").asText()).isEqualTo("Acme");
        assertThat(body.get("id").asText()).hasSize(36);
        String key = body.get("api_key").asText();
        assertThat(key).startsWith("trb_").hasSizeGreaterThan(40);
        assertThat(new Api(port, key).get("/api/v1/sources").status()).isEqualTo(200);
    }

    @Test
    void adminApiRefusesMissingOrWrongTokenAndBadNames() {
        assertThat(anonymous().post("/admin/v1/workspaces", Map.of("name", "x")).status()).isEqualTo(401);
        assertThat(admin().as("wrong").post("/admin/v1/workspaces", Map.of("name", "x")).status()).isEqualTo(401);
        // An API key is not an admin token.
        Api workspace = newWorkspace();
        assertThat(workspace.post("/admin/v1/workspaces", Map.of("name", "x")).status()).isEqualTo(401);

        Api.Response blank = admin().post("/admin/v1/workspaces", Map.of("name", "  "));
        assertThat(blank.status()).isEqualTo(422);
        assertThat(blank.json().at("/details/0/field").asText()).isEqualTo("name");
        assertThat(admin().post("/admin/v1/workspaces", Map.of("name", 42)).status()).isEqualTo(422);
        assertThat(admin().post("/admin/v1/workspaces", "{\"name\":").status()).isEqualTo(400);
    }

    @Test
    void apiAndAppPathsNeedAValidKey() {
        // The encoded and path-parameter spellings reach the same handlers, so they meet the same key check.
        for (String path : new String[] {"/api/v1/sources", "/api/v1/records", "/app/integrations",
                "/%61pi/v1/sources", "/api;x=1/v1/sync-runs", "/api/v1/./sources"}) {
            Api.Response missing = anonymous().get(path);
            assertThat(missing.status()).as(path).isEqualTo(401);
            assertThat(missing.json().get("error").asText()).isEqualTo("unauthenticated");
            assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(anonymous().as("trb_not-a-real-key").get(path).status()).as(path).isEqualTo(401);
        }
        Api.Response malformedHeader = anonymous().send(anonymous().request("/api/v1/sources")
                .header("Authorization", "Basic dXNlcjpwYXNz").GET());
        assertThat(malformedHeader.status()).isEqualTo(401);
    }

    @Test
    void oauthCallbacksAreNotGuardedByApiKeys() {
        // Without an API key the callback is reached and judges the state itself (here: unknown).
        Api.Response callback = anonymous().get("/app/integrations/hubspot/callback?code=c&state=s");
        assertThat(callback.status()).isEqualTo(400);
        assertThat(callback.json().get("error").asText()).isEqualTo("invalid_state");
        assertThat(anonymous().get("/app/integrations/hubspot/callback/extra").status()).isEqualTo(401);
    }

    @Test
    void everyResponseCarriesTheRequestIdInHeaderAndBody() {
        Api api = newWorkspace();
        Api.Response ok = api.get("/api/v1/sources");
        Api.Response unauthorized = anonymous().get("/api/v1/sources");
        Api.Response invalid = api.post("/api/v1/sources", Map.of("key", "Bad Key", "display_name", "x"));
        Api.Response unknownEndpoint = api.get("/api/v1/nothing-here");

        for (Api.Response response : new Api.Response[] {ok, unauthorized, invalid, unknownEndpoint}) {
            String header = response.header("X-Request-Id");
            assertThat(header).as(response.toString()).isNotBlank();
            assertThat(response.json().get("request_id").asText()).isEqualTo(header);
        }
        assertThat(ok.header("X-Request-Id")).isNotEqualTo(invalid.header("X-Request-Id"));
    }

    @Test
    void aSaneIncomingRequestIdIsKeptAndAnythingElseReplaced() {
        Api api = newWorkspace();
        Api.Response kept = api.send(api.request("/api/v1/sources").header("X-Request-Id", "trace-42.a:b_c").GET());
        assertThat(kept.header("X-Request-Id")).isEqualTo("trace-42.a:b_c");
        assertThat(kept.json().get("request_id").asText()).isEqualTo("trace-42.a:b_c");

        for (String insane : new String[] {"has spaces", "x".repeat(200), "semi;colon", "<script>"}) {
            Api.Response replaced = api.send(api.request("/api/v1/sources").header("X-Request-Id", insane).GET());
            assertThat(replaced.header("X-Request-Id")).as(insane).isNotEqualTo(insane).hasSize(36);
        }
    }

    @Test
    void errorsHaveTheContractShapeAndLeakNothing() {
        Api api = newWorkspace();
        Api.Response error = api.post("/api/v1/ingest/batch", "{\"records\": [ {\"system\": ");
        assertThat(error.status()).isEqualTo(400);
        JsonNode body = error.json();
        assertThat(body.get("error").asText()).isEqualTo("malformed_json");
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.get("details").isArray()).isTrue();
        assertThat(error.text()).doesNotContain("Exception", "at io.", "jackson", "SELECT", "INSERT");
    }
}
