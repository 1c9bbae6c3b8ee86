package io.tributary.ingest;

import io.tributary.database.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads the ingest store, always within one workspace. */
@Repository
public class RecordRepository {

    private static final String COLUMNS = """
            id, system, integration_id, object_type, object_id, payload::text AS payload, updated_at, deleted,
            first_seen_at, last_changed_at, version""";

    /** Filters of GET /api/v1/records; null means "any". integrationId "none" selects pushed records. */
    public record Filter(String system, String objectType, IntegrationFilter integration, Instant updatedSince) {
    }

    /** Either any integration, pushed records only (no integration), or one integration. */
    public record IntegrationFilter(boolean pushedOnly, UUID integrationId) {
        public static final IntegrationFilter PUSHED = new IntegrationFilter(true, null);

        public static IntegrationFilter of(UUID id) {
            return new IntegrationFilter(false, id);
        }
    }

    /** A page of records and the id to continue after (null on the last page). */
    public record Page(List<StoredRecord> items, Long lastId) {
    }

    private record Row(long id, StoredRecord record) {
    }

    private static final RowMapper<StoredRecord> MAPPER = RecordRepository::map;

    private final JdbcClient jdbc;

    public RecordRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Page page(UUID workspaceId, Filter filter, long afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS
                + " FROM source_records WHERE workspace_id = ? AND id > ?");
        List<Object> params = new ArrayList<>(List.of(workspaceId, afterId));
        if (filter.system() != null) {
            sql.append(" AND system = ?");
            params.add(filter.system());
        }
        if (filter.objectType() != null) {
            sql.append(" AND object_type = ?");
            params.add(filter.objectType());
        }
        appendIntegration(filter.integration(), sql, params);
        if (filter.updatedSince() != null) {
            sql.append(" AND last_changed_at >= ?");
            params.add(Timestamp.from(filter.updatedSince()));
        }
        // One extra row tells whether another page follows.
        sql.append(" ORDER BY id LIMIT ?");
        params.add(limit + 1);
        List<Row> rows = jdbc.sql(sql.toString()).params(params)
                .query((rs, n) -> new Row(rs.getLong("id"), map(rs, n))).list();
        boolean more = rows.size() > limit;
        List<Row> page = more ? rows.subList(0, limit) : rows;
        return new Page(page.stream().map(Row::record).toList(), more ? page.get(limit - 1).id() : null);
    }

    /** Every stored version of one object id across the workspace's integrations (and pushed records). */
    public List<StoredRecord> find(UUID workspaceId, String system, String objectType, String objectId,
                                   IntegrationFilter integration) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS
                + " FROM source_records WHERE workspace_id = ? AND system = ? AND object_type = ? AND object_id = ?");
        List<Object> params = new ArrayList<>(List.of(workspaceId, system, objectType, objectId));
        appendIntegration(integration, sql, params);
        sql.append(" ORDER BY integration_key");
        return jdbc.sql(sql.toString()).params(params).query(MAPPER).list();
    }

    private static void appendIntegration(IntegrationFilter integration, StringBuilder sql, List<Object> params) {
        if (integration == null) {
            return;
        }
        if (integration.pushedOnly()) {
            sql.append(" AND integration_id IS NULL");
        } else {
            sql.append(" AND integration_id = ?");
            params.add(integration.integrationId());
        }
    }

    private static StoredRecord map(ResultSet rs, int rowNum) throws SQLException {
        return new StoredRecord(rs.getString("system"), rs.getObject("integration_id", UUID.class),
                rs.getString("object_type"), rs.getString("object_id"), rs.getString("payload"),
                Rows.instant(rs, "updated_at"), rs.getBoolean("deleted"), Rows.instant(rs, "first_seen_at"),
                Rows.instant(rs, "last_changed_at"), rs.getInt("version"));
    }

    /** Deletes every record a connected instance wrote; returns how many. */
    public int deleteByIntegration(UUID workspaceId, UUID integrationId) {
        return jdbc.sql("DELETE FROM source_records WHERE workspace_id = ? AND integration_id = ?")
                .params(workspaceId, integrationId).update();
    }
}
