package io.tributary.integration;

import io.tributary.workspace.ApiKeys;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Single-use OAuth states: issued with a connect, consumed once by its callback, then dead. */
@Repository
public class OAuthStateRepository {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a consumed state stood for. */
    public record Pending(UUID workspaceId, String provider, String name) {
    }

    private final JdbcClient jdbc;

    public OAuthStateRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Issues a new random state for this workspace's connect; returns the state to send along. */
    public String issue(UUID workspaceId, String provider, String name, Duration lifetime) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.sql("""
                        INSERT INTO oauth_states (state_hash, workspace_id, provider, name, expires_at)
                        VALUES (?, ?, ?, ?, now() + ?::interval)""")
                .params(ApiKeys.hash(state), workspaceId, provider, name, lifetime.toSeconds() + " seconds")
                .update();
        return state;
    }

    /**
     * Consumes a state in one statement, so two callbacks racing with the same state cannot both
     * win. Empty when the state is unknown, already used, expired, or another provider's.
     */
    public Optional<Pending> consume(String state, String provider) {
        if (state == null || state.isBlank() || state.length() > 200) {
            return Optional.empty();
        }
        return jdbc.sql("""
                        UPDATE oauth_states SET used_at = now()
                        WHERE state_hash = ? AND provider = ? AND used_at IS NULL AND expires_at > now()
                        RETURNING workspace_id, provider, name""")
                .params(ApiKeys.hash(state), provider)
                .query((rs, n) -> new Pending(rs.getObject("workspace_id", UUID.class), rs.getString("provider"),
                        rs.getString("name")))
                .optional();
    }
}
