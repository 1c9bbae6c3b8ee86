package io.tributary.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds ingest batch bodies for tests. */
public final class Records {

    private Records() {
    }

    public static Map<String, Object> record(String system, String objectType, String objectId,
                                             Map<String, Object> payload, String updatedAt) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("system", system);
        record.put("object_type", objectType);
        record.put("object_id", objectId);
        record.put("payload", payload);
        if (updatedAt != null) {
            record.put("updated_at", updatedAt);
        }
        return record;
    }

    /** A batch of n records with ids "id-0".."id-(n-1)". */
    public static Map<String, Object> batch(String system, String objectType, int n) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(record(system, objectType, "id-" + i, Map.of("n", i, "name", "Record " + i), null));
        }
        return of(records);
    }

    public static Map<String, Object> of(List<Map<String, Object>> records) {
        return Map.of("records", records);
    }
}
