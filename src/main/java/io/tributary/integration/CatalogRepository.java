package io.tributary.integration;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Objects a catalog_only sync discovered: offered to the user to choose from, not ingested. */
@Repository
public class CatalogRepository {

    /** One discovered object; properties is a JSON object. */
    public record Entry(String objectType, String objectId, String propertiesJson) {
    }

    private final JdbcClient jdbc;

    public CatalogRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void upsert(UUID integrationId, List<Entry> entries) {
        for (Entry entry : entries) {
            jdbc.sql("""
                            INSERT INTO integration_catalog (integration_id, object_type, object_id, properties)
                            VALUES (?, ?, ?, ?::jsonb)
                            ON CONFLICT (integration_id, object_type, object_id)
                            DO UPDATE SET properties = EXCLUDED.properties, discovered_at = now()""")
                    .params(integrationId, entry.objectType(), entry.objectId(), entry.propertiesJson()).update();
        }
    }

    /** Keyset page in (object_type, object_id) order; objectType null lists every type. */
    public List<Entry> page(UUID integrationId, String objectType, String afterType, String afterId, int limit) {
        return jdbc.sql("""
                        SELECT object_type, object_id, properties::text AS properties FROM integration_catalog
                        WHERE integration_id = ? AND (CAST(? AS text) IS NULL OR object_type = ?)
                          AND (object_type, object_id) > (?, ?)
                        ORDER BY object_type, object_id LIMIT ?""")
                .params(integrationId, objectType, objectType, afterType, afterId, limit)
                .query((rs, n) -> new Entry(rs.getString("object_type"), rs.getString("object_id"),
                        rs.getString("properties")))
                .list();
    }
}
