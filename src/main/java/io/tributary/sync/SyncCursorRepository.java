package io.tributary.sync;

import io.tributary.database.Rows;
import java.sql.Timestamp;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Incremental sync cursors, one per (integration, object). */
@Repository
public class SyncCursorRepository {

    private final JdbcClient jdbc;

    public SyncCursorRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Cursor> find(UUID integrationId, String objectType) {
        return jdbc.sql("SELECT cursor_time, cursor_id FROM sync_cursors WHERE integration_id = ? AND object_type = ?")
                .params(integrationId, objectType)
                .query((rs, n) -> new Cursor(Rows.instant(rs, "cursor_time"), rs.getString("cursor_id")))
                .optional();
    }

    public Map<String, Cursor> findAll(UUID integrationId) {
        return jdbc.sql("SELECT object_type, cursor_time, cursor_id FROM sync_cursors WHERE integration_id = ?")
                .param(integrationId)
                .query((rs, n) -> Map.entry(rs.getString("object_type"),
                        new Cursor(Rows.instant(rs, "cursor_time"), rs.getString("cursor_id"))))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * Where a resume job goes on for an object: the cursor its interrupted predecessors saved (since
     * the request they continue was made). Empty for other jobs, and when they committed nothing.
     */
    public Optional<Cursor> resumePoint(UUID jobId, String objectType) {
        return jdbc.sql("""
                        SELECT c.cursor_time, c.cursor_id
                        FROM sync_jobs j JOIN sync_cursors c ON c.integration_id = j.integration_id AND c.object_type = ?
                        WHERE j.id = ? AND c.updated_at >= j.progress_since""")
                .params(objectType, jobId)
                .query((rs, n) -> new Cursor(Rows.instant(rs, "cursor_time"), rs.getString("cursor_id")))
                .optional();
    }

    /** Called only after the records up to this cursor are committed. */
    public void save(UUID integrationId, String objectType, Cursor cursor) {
        jdbc.sql("""
                        INSERT INTO sync_cursors (integration_id, object_type, cursor_time, cursor_id)
                        VALUES (?, ?, ?, ?)
                        ON CONFLICT (integration_id, object_type)
                        DO UPDATE SET cursor_time = EXCLUDED.cursor_time, cursor_id = EXCLUDED.cursor_id, updated_at = now()""")
                .params(integrationId, objectType, Timestamp.from(cursor.time()), cursor.id())
                .update();
    }

    /** Forgets the cursor of one object, or of every object when objectType is null. */
    public int reset(UUID integrationId, String objectType) {
        return jdbc.sql("DELETE FROM sync_cursors WHERE integration_id = ? AND (CAST(? AS text) IS NULL OR object_type = ?)")
                .params(integrationId, objectType, objectType).update();
    }
}
