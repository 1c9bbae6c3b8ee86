package io.tributary.integration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.workspace.ApiKeys;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Single-use OAuth states: issued with a connect, consumed once by its callback, then dead. */
@Repository
public class OAuthStateRepository {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a consumed state stood for; context holds what the connect left for its callback. */
    public record Pending(UUID workspaceId, String provider, String name, Map<String, String> context) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> CONTEXT = new TypeReference<>() {
    };

    private final JdbcClient jdbc;

    public OAuthStateRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Issues a new random state for this workspace's connect; returns the state to send along. */
    public String issue(UUID workspaceId, String provider, String name, Map<String, String> context,
                        Duration lifetime) {
        String state = randomToken();
        jdbc.sql("""
                        INSERT INTO oauth_states (state_hash, workspace_id, provider, name, context, expires_at)
                        VALUES (?, ?, ?, ?, ?::jsonb, now() + ?::interval)""")
                .params(ApiKeys.hash(state), workspaceId, provider, name, write(context),
                        lifetime.toSeconds() + " seconds")
                .update();
        return state;
    }

    /** 32 random bytes, base64url: a state, or a PKCE code verifier. */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Consumes a state in one statement, so two callbacks racing with the same state cannot both
     * win. Empty when the state is unknown, already used, expired, or another provider's.
     */
    public Optional<Pending> consume(String state, String provider) {
        if (state == null || state.isBlank() || state.length() > 200) {
            return Optional.empty();
        }
        // The context (a PKCE verifier) is wiped as the state is used: returned from the row as it was.
        return jdbc.sql("""
                        UPDATE oauth_states s SET used_at = now(), context = '{}'
                        FROM (SELECT state_hash, context FROM oauth_states WHERE state_hash = ? FOR UPDATE) before
                        WHERE s.state_hash = before.state_hash AND s.provider = ? AND s.used_at IS NULL
                          AND s.expires_at > now()
                        RETURNING s.workspace_id, s.provider, s.name, before.context::text AS context""")
                .params(ApiKeys.hash(state), provider)
                .query((rs, n) -> new Pending(rs.getObject("workspace_id", UUID.class), rs.getString("provider"),
                        rs.getString("name"), read(rs.getString("context"))))
                .optional();
    }

    private static String write(Map<String, String> context) {
        try {
            return JSON.writeValueAsString(context);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Map<String, String> read(String context) {
        try {
            return JSON.readValue(context, CONTEXT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored OAuth state context is not readable", e);
        }
    }
}
