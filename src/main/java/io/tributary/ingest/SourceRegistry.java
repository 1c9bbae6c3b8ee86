package io.tributary.ingest;

import io.tributary.database.Rows;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Built-in systems plus each workspace's registered custom sources. */
@Component
public class SourceRegistry {

    public static final Pattern KEY_PATTERN = Pattern.compile("^[a-z][a-z0-9_]{1,62}$");
    public static final Map<String, String> BUILT_IN = Map.of(
            "hubspot", "HubSpot",
            "salesforce", "Salesforce",
            "stripe", "Stripe");

    private static final RowMapper<Source> CUSTOM = (rs, n) ->
            new Source(rs.getString("key"), rs.getString("display_name"), false, Rows.instant(rs, "created_at"));

    private final JdbcClient jdbc;

    public SourceRegistry(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public enum Outcome { CREATED, DUPLICATE }

    public enum Removal { REMOVED, NOT_FOUND, HAS_RECORDS }

    public static boolean isBuiltIn(String key) {
        return BUILT_IN.containsKey(key);
    }

    public static List<Source> builtIns() {
        return BUILT_IN.entrySet().stream()
                .map(e -> new Source(e.getKey(), e.getValue(), true, null))
                .sorted((a, b) -> a.key().compareTo(b.key()))
                .toList();
    }

    public Outcome register(UUID workspaceId, String key, String displayName) {
        try {
            jdbc.sql("INSERT INTO sources (workspace_id, key, display_name) VALUES (?, ?, ?)")
                    .params(workspaceId, key, displayName)
                    .update();
            return Outcome.CREATED;
        } catch (DuplicateKeyException e) {
            return Outcome.DUPLICATE;
        }
    }

    public Optional<Source> find(UUID workspaceId, String key) {
        return jdbc.sql("SELECT key, display_name, created_at FROM sources WHERE workspace_id = ? AND key = ?")
                .params(workspaceId, key)
                .query(CUSTOM)
                .optional();
    }

    /** Custom sources in key order, after the given key (keyset pagination). */
    public List<Source> listCustom(UUID workspaceId, String afterKey, int limit) {
        return jdbc.sql("""
                        SELECT key, display_name, created_at FROM sources
                        WHERE workspace_id = ? AND key > ? ORDER BY key LIMIT ?""")
                .params(workspaceId, afterKey == null ? "" : afterKey, limit)
                .query(CUSTOM)
                .list();
    }

    /** The systems a workspace may push records for. */
    public Set<String> knownSystems(UUID workspaceId) {
        Set<String> known = new HashSet<>(BUILT_IN.keySet());
        known.addAll(jdbc.sql("SELECT key FROM sources WHERE workspace_id = ?").param(workspaceId)
                .query(String.class).list());
        return known;
    }

    /** Removes a custom source; its records go too only when purge is asked for. */
    @Transactional
    public Removal remove(UUID workspaceId, String key, boolean purge) {
        // The row lock makes concurrent removals of one source take turns.
        boolean exists = jdbc.sql("SELECT 1 FROM sources WHERE workspace_id = ? AND key = ? FOR UPDATE")
                .params(workspaceId, key).query().listOfRows().size() == 1;
        if (!exists) {
            return Removal.NOT_FOUND;
        }
        if (purge) {
            jdbc.sql("DELETE FROM source_records WHERE workspace_id = ? AND system = ?").params(workspaceId, key)
                    .update();
        } else if (jdbc.sql("SELECT EXISTS (SELECT 1 FROM source_records WHERE workspace_id = ? AND system = ?)")
                .params(workspaceId, key).query(Boolean.class).single()) {
            return Removal.HAS_RECORDS;
        }
        jdbc.sql("DELETE FROM sources WHERE workspace_id = ? AND key = ?").params(workspaceId, key).update();
        return Removal.REMOVED;
    }
}
