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

    /** The outcome of an OAuth connect: the integration, and whether it existed (a reconnect). */
    public record Connected(Integration integration, boolean reconnected) {
    }

    /**
     * Creates the integration for a provider's instance (externalId), or reconnects the one this
     * workspace already has for it: new secrets and config, status connected.
     */
    @Transactional
    public Connected connect(UUID workspaceId, String provider, String externalId, String name, String configJson,
                             Map<String, String> secrets) {
        Optional<UUID> existing = jdbc.sql("""
                        SELECT id FROM integrations WHERE workspace_id = ? AND provider = ? AND external_id = ?
                        FOR UPDATE""")
                .params(workspaceId, provider, externalId).query(UUID.class).optional();
        if (existing.isPresent()) {
            UUID id = existing.get();
            jdbc.sql("""
                            UPDATE integrations SET status = 'connected', config = ?::jsonb, credentials = ?,
                                   previous_credentials = NULL, previous_valid_until = NULL, connected_at = now(),
                                   disconnected_at = NULL, updated_at = now()
                            WHERE id = ?""")
                    .params(configJson, vault.seal(id, secrets), id).update();
            return new Connected(find(workspaceId, id).orElseThrow(), true);
        }
        Integration created = create(workspaceId, provider, name, configJson, secrets);
        jdbc.sql("UPDATE integrations SET external_id = ? WHERE id = ?").params(externalId, created.id()).update();
        return new Connected(created, false);
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
                    byte[] current = rs.getBytes("credentials");
                    // A disconnected integration has no secrets left: nothing verifies, nothing authenticates.
                    return new WithSecrets(map(rs, n), new Secrets(current == null ? Map.of() : vault.open(id, current),
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

    /**
     * The current secrets, with the integration's row locked until the surrounding transaction
     * ends: how token refreshes are serialized across threads and nodes. Empty when wiped.
     */
    public Optional<Map<String, String>> lockSecrets(UUID id) {
        return jdbc.sql("SELECT credentials FROM integrations WHERE id = ? FOR UPDATE").param(id)
                .query((rs, n) -> rs.getBytes("credentials")).optional()
                .filter(sealed -> sealed != null)
                .map(sealed -> vault.open(id, sealed));
    }

    public void replaceSecrets(UUID id, Map<String, String> secrets) {
        jdbc.sql("UPDATE integrations SET credentials = ?, updated_at = now() WHERE id = ?")
                .params(vault.seal(id, secrets), id).update();
    }

    /** Sets one key of the shown config (never a secret). */
    public void setConfigValue(UUID id, String key, String value) {
        jdbc.sql("UPDATE integrations SET config = jsonb_set(config, ARRAY[?::text], to_jsonb(?::text)), updated_at = now() WHERE id = ?")
                .params(key, value, id).update();
    }

    public void setStatus(UUID id, String status) {
        jdbc.sql("UPDATE integrations SET status = ?, updated_at = now() WHERE id = ?").params(status, id).update();
    }

    /** Wipes every secret and marks the integration disconnected; its records stay. */
    public void disconnect(UUID id) {
        jdbc.sql("""
                        UPDATE integrations SET status = 'disconnected', credentials = NULL, previous_credentials = NULL,
                               previous_valid_until = NULL, disconnected_at = now(), updated_at = now()
                        WHERE id = ?""")
                .param(id).update();
    }

    /** Every integration of a provider in that status, across workspaces: what a node must schedule. */
    public List<Integration> listByStatus(String provider, String status) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integrations WHERE provider = ? AND status = ?")
                .params(provider, status).query(IntegrationRepository::map).list();
    }

    /** Across workspaces: the first integrations in that status, oldest first. */
    public List<Integration> listByStatus(String status, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integrations WHERE status = ? ORDER BY created_at, id LIMIT ?")
                .params(status, limit).query(IntegrationRepository::map).list();
    }

    /** Across workspaces: how many integrations are in each status. */
    public Map<String, Long> countByStatus() {
        return jdbc.sql("SELECT status, count(*) AS n FROM integrations GROUP BY status")
                .query((rs, n) -> Map.entry(rs.getString("status"), rs.getLong("n"))).list().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public List<Integration> listByProvider(UUID workspaceId, String provider) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integrations WHERE workspace_id = ? AND provider = ? ORDER BY created_at, id")
                .params(workspaceId, provider).query(IntegrationRepository::map).list();
    }

    public Optional<Integration> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integrations WHERE id = ?").param(id)
                .query(IntegrationRepository::map).optional();
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
