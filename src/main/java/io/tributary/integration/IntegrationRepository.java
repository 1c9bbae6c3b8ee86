package io.tributary.integration;

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
import io.tributary.database.Rows;
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

    /** Current secrets, plus the previous ones while their rotation grace period lasts. */
    public record Secrets(Map<String, String> current, Map<String, String> previous) {

        /** Every value of one secret that may still be used, newest first. */
        public List<String> valid(String name) {
            List<String> values = new ArrayList<>();
            if (current.containsKey(name)) {
                values.add(current.get(name));
            }
            if (previous != null && previous.containsKey(name)) {
                values.add(previous.get(name));
            }
            return values;
        }
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

    /** For ingress that is authenticated by the integration's own secret, not by an API key. */
    public Optional<Integration> findForIngress(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integrations WHERE id = ?")
                .param(id).query(IntegrationRepository::map).optional();
    }

    public List<Integration> list(UUID workspaceId, Instant afterCreated, UUID afterId, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integrations WHERE workspace_id = ? AND (created_at, id) > (?, ?)"
                        + " ORDER BY created_at, id LIMIT ?")
                .params(workspaceId, Timestamp.from(afterCreated), afterId, limit)
                .query(IntegrationRepository::map).list();
    }

    public Secrets secrets(UUID id) {
        return jdbc.sql("""
                        SELECT credentials, previous_credentials, previous_valid_until > now() AS previous_valid
                        FROM integrations WHERE id = ?""")
                .param(id)
                .query((rs, n) -> new Secrets(
                        vault.open(id, rs.getBytes("credentials")),
                        rs.getBoolean("previous_valid") ? vault.open(id, rs.getBytes("previous_credentials")) : null))
                .single();
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
