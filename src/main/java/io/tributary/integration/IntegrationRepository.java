package io.tributary.integration;

import io.tributary.database.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Integrations and their sealed secrets. Every read that serves a caller is scoped to a workspace. */
@Repository
public class IntegrationRepository {

    private static final String COLUMNS = """
            id, workspace_id, provider, name, status, config::text AS config, created_at, connected_at,
            disconnected_at""";

    private final JdbcClient jdbc;
    private final CredentialVault vault;

    public IntegrationRepository(JdbcClient jdbc, CredentialVault vault) {
        this.jdbc = jdbc;
        this.vault = vault;
    }

    /**
     * Current secrets, plus the previous ones, which stay valid until previousValidUntil after a
     * rotation. Validity is judged at use, so a cached copy never outlives the grace period.
     */
    public record Secrets(Map<String, String> current, Map<String, String> previous, Instant previousValidUntil) {

        /** Every value of one secret that may be used at that moment, newest first. */
        public List<String> valid(String name, Instant now) {
            List<String> values = new ArrayList<>();
            if (current.containsKey(name)) {
                values.add(current.get(name));
            }
            if (previous != null && previous.containsKey(name) && now.isBefore(previousValidUntil)) {
                values.add(previous.get(name));
            }
            return values;
        }
    }

    /** An integration and its secrets, for ingress that the secrets authenticate instead of an API key. */
    public record WithSecrets(Integration integration, Secrets secrets) {
    }

    public Integration create(UUID workspaceId, String provider, String name, String configJson,
                              Map<String, String> secrets) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO integrations (id, workspace_id, provider, name, status, config, credentials,
                                                  connected_at)
                        VALUES (?, ?, ?, ?, 'connected', ?::jsonb, ?, now())""")
                .params(id, workspaceId, provider, name, configJson, vault.seal(id, secrets))
                .update();
        return find(workspaceId, id).orElseThrow();
    }

    public Optional<Integration> find(UUID workspaceId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integrations WHERE workspace_id = ? AND id = ?")
                .params(workspaceId, id).query(IntegrationRepository::map).optional();
    }

    public Optional<WithSecrets> findWithSecrets(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + ", credentials, previous_credentials, previous_valid_until"
                        + " FROM integrations WHERE id = ?")
                .param(id)
                .query((rs, n) -> {
                    byte[] previous = rs.getBytes("previous_credentials");
                    return new WithSecrets(map(rs, n), new Secrets(vault.open(id, rs.getBytes("credentials")),
                            previous == null ? null : vault.open(id, previous), Rows.instant(rs, "previous_valid_until")));
                })
                .optional();
    }

    public List<Integration> list(UUID workspaceId, Instant afterCreated, UUID afterId, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integrations WHERE workspace_id = ? AND (created_at, id) > (?, ?)"
                        + " ORDER BY created_at, id LIMIT ?")
                .params(workspaceId, Timestamp.from(afterCreated), afterId, limit)
                .query(IntegrationRepository::map).list();
    }

    /** Replaces the secrets; the ones replaced stay valid for the grace period. */
    @Transactional
    public void rotateSecrets(UUID id, Map<String, String> secrets, Duration grace) {
        jdbc.sql("""
                        UPDATE integrations
                        SET previous_credentials = credentials, previous_valid_until = now() + ?::interval,
                            credentials = ?, updated_at = now()
                        WHERE id = ?""")
                .params(grace.toSeconds() + " seconds", vault.seal(id, secrets), id)
                .update();
    }

    public void rename(UUID id, String name) {
        jdbc.sql("UPDATE integrations SET name = ?, updated_at = now() WHERE id = ?").params(name, id).update();
    }

    private static Integration map(ResultSet rs, int rowNum) throws SQLException {
        return new Integration(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
                rs.getString("provider"), rs.getString("name"), rs.getString("status"), rs.getString("config"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "connected_at"),
                Rows.instant(rs, "disconnected_at"));
    }
}
