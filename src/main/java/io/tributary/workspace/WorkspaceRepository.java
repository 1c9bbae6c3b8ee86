package io.tributary.workspace;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
public class WorkspaceRepository {

    private final JdbcClient jdbc;
    private final ApiKeyRepository apiKeys;

    public WorkspaceRepository(JdbcClient jdbc, ApiKeyRepository apiKeys) {
        this.jdbc = jdbc;
        this.apiKeys = apiKeys;
    }

    /** Creates a workspace with one API key; returns the workspace. */
    @Transactional
    public Workspace create(String name, String apiKey) {
        Workspace workspace = new Workspace(UUID.randomUUID(), name);
        jdbc.sql("INSERT INTO workspaces (id, name) VALUES (?, ?)")
                .params(workspace.id(), workspace.name())
                .update();
        apiKeys.create(workspace.id(), null, apiKey);
        return workspace;
    }

    /** The workspace of the stored key matching apiKey, and that key's id. */
    public Optional<Authentication> findByApiKey(String apiKey) {
        return jdbc.sql("""
                        SELECT w.id, w.name, k.id AS key_id
                        FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id WHERE k.key_hash = ?""")
                .param(ApiKeys.hash(apiKey))
                .query((rs, n) -> new Authentication(
                        new Workspace(rs.getObject("id", UUID.class), rs.getString("name")),
                        rs.getObject("key_id", UUID.class)))
                .optional();
    }

    /** The id of the stored key matching apiKey: what a console session keeps instead of the key itself. */
    public Optional<UUID> findApiKeyId(String apiKey) {
        return jdbc.sql("SELECT id FROM api_keys WHERE key_hash = ?").param(ApiKeys.hash(apiKey))
                .query(UUID.class).optional();
    }

    /** The workspace of a stored key; empty once the key is gone, which ends the sessions it opened. */
    public Optional<Workspace> findByApiKeyId(UUID apiKeyId) {
        return jdbc.sql("SELECT w.id, w.name FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id WHERE k.id = ?")
                .param(apiKeyId)
                .query((rs, n) -> new Workspace(rs.getObject("id", UUID.class), rs.getString("name")))
                .optional();
    }

    public boolean any() {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM workspaces)").query(Boolean.class).single();
    }

    /** Serialises first-start bootstrap across nodes sharing one database (released at commit). */
    public void lockBootstrap() {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('tributary.default-workspace'))").query().singleRow();
    }
}
