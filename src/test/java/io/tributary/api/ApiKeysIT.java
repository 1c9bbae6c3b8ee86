package io.tributary.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.Await;
import io.tributary.support.ConsoleClient;
import io.tributary.workspace.ApiKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class ApiKeysIT extends AppTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void aNewKeyIsShownOnceWorksAndIsListedWithoutSecrets() {
        Api first = newWorkspace();
        Api.Response created = first.post("/api/v1/api-keys", Map.of("name", "  CI pipeline "));

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        String key = body.get("api_key").asText();
        assertThat(key).startsWith("trb_").hasSizeGreaterThan(40).isNotEqualTo(first.apiKey());
        assertThat(body.get("name").asText()).isEqualTo("CI pipeline");
        assertThat(body.get("prefix").asText()).isEqualTo(key.substring(0, 8));
        assertThat(body.get("created_at").asText()).isNotBlank();
        String newId = body.get("id").asText();
        // Stored as its hash, never as itself.
        assertThat(jdbc.sql("SELECT key_hash FROM api_keys WHERE id = ?").param(UUID.fromString(newId))
                .query(String.class).single()).isEqualTo(ApiKeys.hash(key));

        Api second = first.as(key);
        assertThat(second.get("/api/v1/sources").status()).isEqualTo(200);

        for (Api caller : List.of(first, second)) {
            Api.Response list = caller.get("/api/v1/api-keys");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.text()).doesNotContain(first.apiKey(), key, ApiKeys.hash(first.apiKey()), ApiKeys.hash(key));
            JsonNode items = list.json().get("items");
            assertThat(items).hasSize(2);
            assertThat(list.json().get("next_cursor").isNull()).isTrue();
            // Oldest first: the workspace's first key (no name), then the new one.
            assertThat(items.get(0).get("name").isNull()).isTrue();
            assertThat(items.get(0).get("prefix").asText()).isEqualTo(first.apiKey().substring(0, 8));
            assertThat(items.get(1).get("id").asText()).isEqualTo(newId);
            assertThat(items.get(1).get("name").asText()).isEqualTo("CI pipeline");
            assertThat(items.get(0).get("current").asBoolean()).isEqualTo(caller == first);
            assertThat(items.get(1).get("current").asBoolean()).isEqualTo(caller == second);
            assertThat(items.get(0).has("api_key")).isFalse();
        }
    }

    @Test
    void aDeletedKeyStopsWorkingAtOnceAndEndsItsConsoleSessions() {
        Api old = newWorkspace();
        Api replacement = old.as(old.post("/api/v1/api-keys", "{}").json().get("api_key").asText());
        ConsoleClient console = ConsoleClient.signedIn(port, old);
        assertThat(console.get("/console/sources").status()).isEqualTo(200);

        Api.Response deleted = replacement.delete("/api/v1/api-keys/" + id(old));

        assertThat(deleted.status()).isEqualTo(204);
        Api.Response refused = old.get("/api/v1/sources");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("error").asText()).isEqualTo("unauthenticated");
        Api.Response page = console.get("/console/sources");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).endsWith("/console/login?session_ended");
        assertThat(replacement.get("/api/v1/sources").status()).isEqualTo(200);
        assertThat(replacement.get("/api/v1/api-keys").json().get("items")).hasSize(1);
        assertThat(replacement.delete("/api/v1/api-keys/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void theLastKeyCannotBeDeletedNotEvenByItself() {
        Api first = newWorkspace();
        Api second = first.as(first.post("/api/v1/api-keys", Map.of("name", "second")).json().get("api_key").asText());
        // A key may revoke itself while another one remains.
        assertThat(first.delete("/api/v1/api-keys/" + id(first)).status()).isEqualTo(204);
        assertThat(first.get("/api/v1/sources").status()).isEqualTo(401);

        Api.Response last = second.delete("/api/v1/api-keys/" + id(second));

        assertThat(last.status()).isEqualTo(409);
        assertThat(last.json().get("error").asText()).isEqualTo("last_api_key");
        assertThat(last.json().get("message").asText()).contains("needs one").contains("create another key first");
        assertThat(last.json().get("request_id").asText()).isNotBlank();
        assertThat(second.get("/api/v1/sources").status()).isEqualTo(200);
        assertThat(second.get("/api/v1/api-keys").json().get("items")).hasSize(1);
    }

    @Test
    void anotherWorkspacesKeyIsNotFoundAndStaysUntouched() {
        Api owner = newWorkspace();
        owner.post("/api/v1/api-keys", Map.of("name", "spare"));
        String ownersKeyId = id(owner);
        Api other = newWorkspace();
        other.post("/api/v1/api-keys", Map.of("name", "spare"));

        Api.Response foreign = other.delete("/api/v1/api-keys/" + ownersKeyId);

        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().get("error").asText()).isEqualTo("not_found");
        assertThat(owner.get("/api/v1/sources").status()).isEqualTo(200);
        assertThat(owner.get("/api/v1/api-keys").json().get("items")).hasSize(2);
        assertThat(other.get("/api/v1/api-keys").json().get("items")).hasSize(2);
        assertThat(other.get("/api/v1/api-keys").text()).doesNotContain(ownersKeyId);
        assertThat(other.delete("/api/v1/api-keys/" + UUID.randomUUID()).status()).isEqualTo(404);
        // A path id that is not a UUID is answered as on every other endpoint with one: 422 naming it.
        Api.Response notUuid = other.delete("/api/v1/api-keys/not-a-uuid");
        assertThat(notUuid.status()).isEqualTo(422);
        assertThat(notUuid.json().at("/details/0/field").asText()).isEqualTo("id");
        assertThat(other.get("/api/v1/api-keys").json().get("items")).hasSize(2);
    }

    @Test
    void badBodiesAreRefusedNamingTheFieldAndCreateNothing() {
        Api api = newWorkspace();
        Api.Response notJson = api.post("/api/v1/api-keys", "{\"name\":");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("error").asText()).isEqualTo("malformed_json");
        Api.Response noBody = api.post("/api/v1/api-keys", "");
        assertThat(noBody.status()).isEqualTo(400);
        Api.Response notAnObject = api.post("/api/v1/api-keys", "[\"name\"]");
        assertThat(notAnObject.status()).isEqualTo(422);
        assertThat(notAnObject.json().at("/details/0/field").asText()).isEqualTo("body");
        for (Object badName : new Object[] {42, true, List.of("a"), Map.of("a", "b"), "   ", "x".repeat(101)}) {
            Api.Response response = api.post("/api/v1/api-keys", Map.of("name", badName));
            assertThat(response.status()).as(String.valueOf(badName)).isEqualTo(422);
            assertThat(response.json().get("error").asText()).isEqualTo("validation_failed");
            assertThat(response.json().at("/details/0/field").asText()).isEqualTo("name");
            assertThat(response.text()).doesNotContain("trb_");
        }
        assertThat(api.postRaw("/api/v1/api-keys", "{}", "text/plain").status()).isEqualTo(415);
        assertThat(api.get("/api/v1/api-keys").json().get("items")).hasSize(1);

        Api.Response longest = api.post("/api/v1/api-keys", Map.of("name", "x".repeat(100)));
        assertThat(longest.status()).isEqualTo(201);
        assertThat(longest.json().get("name").asText()).hasSize(100);
        Api.Response nullName = api.post("/api/v1/api-keys", "{\"name\":null}");
        assertThat(nullName.status()).isEqualTo(201);
        assertThat(nullName.json().get("name").isNull()).isTrue();
        assertThat(api.get("/api/v1/api-keys").json().get("items")).hasSize(3);
    }

    /**
     * Two deletions of a workspace's last two keys, each made with the other key, are both let in and
     * held at the database (the test holds the key rows) until both wait there; released together, one
     * must see the other's deletion: exactly one succeeds and one key is left.
     */
    @Test
    void concurrentDeletionsOfTheLastTwoKeysLeaveOne() throws SQLException {
        Api first = newWorkspace();
        Api second = first.as(first.post("/api/v1/api-keys", "{}").json().get("api_key").asText());
        String firstId = id(first);
        String secondId = id(second);
        UUID workspaceId = jdbc.sql("SELECT workspace_id FROM api_keys WHERE id = ?").param(UUID.fromString(firstId))
                .query(UUID.class).single();

        List<CompletableFuture<Api.Response>> deletions = new ArrayList<>();
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            int holderPid;
            try (PreparedStatement pid = holder.prepareStatement("SELECT pg_backend_pid()");
                 ResultSet row = pid.executeQuery()) {
                row.next();
                holderPid = row.getInt(1);
            }
            try (PreparedStatement lock = holder.prepareStatement(
                    "SELECT id FROM api_keys WHERE workspace_id = ? FOR UPDATE")) {
                lock.setObject(1, workspaceId);
                lock.executeQuery().close();
            }
            deletions.add(CompletableFuture.supplyAsync(() -> first.delete("/api/v1/api-keys/" + secondId)));
            deletions.add(CompletableFuture.supplyAsync(() -> second.delete("/api/v1/api-keys/" + firstId)));
            Await.until(() -> blockedBy(holderPid) == 2, Duration.ofSeconds(20));
            holder.commit();
        }

        List<Integer> statuses = deletions.stream().map(d -> d.join().status()).sorted().toList();
        assertThat(statuses).containsExactly(204, 409);
        Api.Response conflict = deletions.stream().map(CompletableFuture::join).filter(r -> r.status() == 409)
                .findFirst().orElseThrow();
        assertThat(conflict.json().get("error").asText()).isEqualTo("last_api_key");
        assertThat(jdbc.sql("SELECT count(*) FROM api_keys WHERE workspace_id = ?").param(workspaceId)
                .query(Integer.class).single()).isEqualTo(1);
        Api survivor = first.get("/api/v1/sources").status() == 200 ? first : second;
        assertThat(survivor.get("/api/v1/api-keys").json().get("items")).hasSize(1);
        assertThat((survivor == first ? second : first).get("/api/v1/sources").status()).isEqualTo(401);
    }

    /**
     * How many database sessions wait, directly or behind another waiter, for a lock the given one
     * holds: the second waiter for a row queues on the first waiter's tuple lock, not on the holder.
     */
    private int blockedBy(int pid) {
        return jdbc.sql("""
                        WITH RECURSIVE blocked (pid) AS (
                            SELECT pid FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))
                            UNION
                            SELECT a.pid FROM pg_stat_activity a JOIN blocked b ON b.pid = ANY (pg_blocking_pids(a.pid)))
                        SELECT count(*) FROM blocked""")
                .param(pid)
                .query(Integer.class).single();
    }

    /** The id of the key this client calls with, as the list marks it. */
    private static String id(Api api) {
        for (JsonNode key : api.get("/api/v1/api-keys").json().get("items")) {
            if (key.get("current").asBoolean()) {
                return key.get("id").asText();
            }
        }
        throw new AssertionError("No key is marked current");
    }
}
