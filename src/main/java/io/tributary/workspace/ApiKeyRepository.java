package io.tributary.workspace;

import io.tributary.database.Rows;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** A workspace's API keys: added, listed and deleted, never without one left. */
@Repository
public class ApiKeyRepository {

    private static final RowMapper<ApiKey> KEY = (rs, n) -> new ApiKey(rs.getObject("id", UUID.class),
            rs.getString("name"), rs.getString("key_prefix"), Rows.instant(rs, "created_at"));

    private final JdbcClient jdbc;

    public ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public enum Deletion { DELETED, NOT_FOUND, LAST_KEY }

    /** Stores apiKey (hashed) for the workspace; name may be null. */
    public ApiKey create(UUID workspaceId, String name, String apiKey) {
        return jdbc.sql("""
                        INSERT INTO api_keys (id, workspace_id, key_hash, key_prefix, name) VALUES (?, ?, ?, ?, ?)
                        RETURNING id, name, key_prefix, created_at""")
                .params(UUID.randomUUID(), workspaceId, ApiKeys.hash(apiKey), ApiKeys.displayPrefix(apiKey), name)
                .query(KEY)
                .single();
    }

    /** Oldest first. */
    public List<ApiKey> list(UUID workspaceId) {
        return jdbc.sql("""
                        SELECT id, name, key_prefix, created_at FROM api_keys WHERE workspace_id = ?
                        ORDER BY created_at, id""")
                .param(workspaceId)
                .query(KEY)
                .list();
    }

    /**
     * Deletes one of the workspace's keys unless it is the last. The workspace's key rows stay locked
     * until commit, so two deletions of its last two keys cannot both see "one more left": the second
     * waits, then finds the first's row gone.
     */
    @Transactional
    public Deletion delete(UUID workspaceId, UUID apiKeyId) {
        List<UUID> keys = jdbc.sql("SELECT id FROM api_keys WHERE workspace_id = ? ORDER BY id FOR UPDATE")
                .param(workspaceId)
                .query(UUID.class)
                .list();
        if (!keys.contains(apiKeyId)) {
            return Deletion.NOT_FOUND;
        }
        if (keys.size() == 1) {
            return Deletion.LAST_KEY;
        }
        jdbc.sql("DELETE FROM api_keys WHERE id = ?").param(apiKeyId).update();
        return Deletion.DELETED;
    }
}
