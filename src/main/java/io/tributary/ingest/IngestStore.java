package io.tributary.ingest;

import io.tributary.common.TributaryMetrics;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes batches of records to source_records with one statement per batch. The statement itself
 * reports what it did, per system and object type: inserted and updated rows come back from
 * RETURNING, stale ones are those whose stored updated_at was newer, the rest were unchanged.
 * Every path into the store passes here, so this is where records are counted in the metrics.
 */
@Component("ingestStore")
public class IngestStore {

    /**
     * Header of the ingest-records route, true when the caller retries the records of a failed call
     * itself: this failure is not their final outcome, so the retry counts them, not this call.
     */
    public static final String RETRIED_ON_FAILURE = "TributaryRetriedOnFailure";

    private static final Logger LOG = LoggerFactory.getLogger(IngestStore.class);
    private static final String CUSTOM = "custom";

    private static final String UPSERT = """
            WITH input AS (
                SELECT * FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::jsonb[],
                                     ?::timestamptz[], ?::boolean[])
                    AS i(workspace_id, system, integration_id, object_type, object_id, payload, updated_at, deleted)
            ),
            stale AS (
                SELECT i.system, i.object_type FROM input i JOIN source_records r
                  ON r.workspace_id = i.workspace_id AND r.system = i.system
                 AND r.integration_key = coalesce(i.integration_id, '00000000-0000-0000-0000-000000000000'::uuid)
                 AND r.object_type = i.object_type AND r.object_id = i.object_id
                WHERE i.updated_at < r.updated_at
            ),
            written AS (
                INSERT INTO source_records AS r
                       (workspace_id, system, integration_id, object_type, object_id, payload, updated_at, deleted)
                SELECT workspace_id, system, integration_id, object_type, object_id, payload, updated_at, deleted
                FROM input
                ON CONFLICT (workspace_id, system, integration_key, object_type, object_id) DO UPDATE
                SET payload = excluded.payload,
                    updated_at = coalesce(excluded.updated_at, r.updated_at),
                    deleted = excluded.deleted,
                    version = r.version + 1,
                    last_changed_at = now()
                WHERE (excluded.updated_at IS NULL OR r.updated_at IS NULL OR excluded.updated_at >= r.updated_at)
                  AND (r.payload IS DISTINCT FROM excluded.payload OR r.deleted <> excluded.deleted)
                RETURNING r.system, r.object_type, (xmax = 0) AS inserted
            )
            SELECT g.system, g.object_type, g.received,
                   (SELECT count(*) FILTER (WHERE w.inserted) FROM written w
                     WHERE w.system = g.system AND w.object_type = g.object_type),
                   (SELECT count(*) FILTER (WHERE NOT w.inserted) FROM written w
                     WHERE w.system = g.system AND w.object_type = g.object_type),
                   (SELECT count(*) FROM stale s WHERE s.system = g.system AND s.object_type = g.object_type)
            FROM (SELECT system, object_type, count(*) AS received FROM input GROUP BY system, object_type) g
            """;

    private static final int MAX_ATTEMPTS = 5;
    private static final Comparator<IngestRecord> KEY_ORDER = Comparator
            .comparing((IngestRecord r) -> r.workspaceId().toString())
            .thenComparing(IngestRecord::system)
            .thenComparing(r -> Objects.toString(r.integrationId(), ""))
            .thenComparing(IngestRecord::objectType)
            .thenComparing(IngestRecord::objectId);

    private final DataSource dataSource;
    private final TributaryMetrics metrics;

    public IngestStore(DataSource dataSource, TributaryMetrics metrics) {
        this.dataSource = dataSource;
        this.metrics = metrics;
    }

    /**
     * Upserts a batch. One statement cannot touch a row twice, so a key repeated within the batch
     * goes to a following statement, in the order given: the later record wins as it would in a stream.
     */
    public IngestCounts upsert(List<IngestRecord> batch, @Header(RETRIED_ON_FAILURE) boolean retriedOnFailure)
            throws SQLException {
        IngestCounts counts = IngestCounts.NONE;
        List<List<IngestRecord>> rounds = roundsOfDistinctKeys(batch);
        for (int round = 0; round < rounds.size(); round++) {
            try {
                counts = counts.plus(upsertDistinct(rounds.get(round)));
            } catch (SQLException | RuntimeException e) {
                if (!retriedOnFailure) {
                    countFailed(rounds.subList(round, rounds.size()));
                }
                throw e;
            }
        }
        return counts;
    }

    private void countFailed(List<List<IngestRecord>> rounds) {
        rounds.stream().flatMap(List::stream)
                .collect(Collectors.groupingBy(r -> List.of(r.system(), r.objectType()), Collectors.counting()))
                .forEach((group, count) -> metrics.recordsFailed(metricSystem(group.get(0)),
                        metricObjectType(group.get(0), group.get(1)), count));
    }

    /**
     * The system as the metrics name it: built-in systems as they are; every pushed one as "custom",
     * because its name (and its object types) are a client's own words: unbounded series, and names
     * of one workspace's sources on a scrape anyone can read.
     */
    private static String metricSystem(String system) {
        return SourceRegistry.isBuiltIn(system) ? system : CUSTOM;
    }

    private static String metricObjectType(String system, String objectType) {
        return SourceRegistry.isBuiltIn(system) ? objectType : CUSTOM;
    }

    private static List<List<IngestRecord>> roundsOfDistinctKeys(List<IngestRecord> batch) {
        List<List<IngestRecord>> rounds = new ArrayList<>();
        List<Set<IngestRecord.Key>> keys = new ArrayList<>();
        for (IngestRecord record : batch) {
            int round = 0;
            while (round < rounds.size() && keys.get(round).contains(record.key())) {
                round++;
            }
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
                keys.add(new HashSet<>());
            }
            rounds.get(round).add(record);
            keys.get(round).add(record.key());
        }
        return rounds;
    }

    private IngestCounts upsertDistinct(List<IngestRecord> records) throws SQLException {
        // Rows are locked in key order, so two batches sharing keys wait for each other instead of deadlocking.
        List<IngestRecord> sorted = new ArrayList<>(records);
        sorted.sort(KEY_ORDER);
        for (int attempt = 1; ; attempt++) {
            try {
                return execute(sorted);
            } catch (SQLException e) {
                if (attempt >= MAX_ATTEMPTS || !isRetryable(e)) {
                    throw e;
                }
            }
        }
    }

    /** A caller's transaction (the webhook worker's) may still roll back: count what it committed, once. */
    private static void afterCommit(Runnable count) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            count.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                count.run();
            }
        });
    }

    /** One (system, object_type) row of the statement's answer. */
    private static IngestCounts groupCounts(ResultSet rs) throws SQLException {
        long received = rs.getLong(3);
        long inserted = rs.getLong(4);
        long updated = rs.getLong(5);
        // Read before the write, so a concurrent writer can make both buckets claim a record.
        long stale = Math.min(rs.getLong(6), received - inserted - updated);
        return new IngestCounts(received, inserted, updated, received - inserted - updated - stale, stale);
    }

    /** Concurrent upserts of the same new key can still collide; the statement is idempotent, so retry it. */
    private static boolean isRetryable(SQLException e) {
        return "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
    }

    private IngestCounts execute(List<IngestRecord> records) throws SQLException {
        int n = records.size();
        String[] workspaceIds = new String[n];
        String[] systems = new String[n];
        String[] integrationIds = new String[n];
        String[] objectTypes = new String[n];
        String[] objectIds = new String[n];
        String[] payloads = new String[n];
        String[] updatedAts = new String[n];
        Boolean[] deleted = new Boolean[n];
        int withNul = 0;
        IngestRecord firstWithNul = null;
        for (int i = 0; i < n; i++) {
            IngestRecord r = records.get(i);
            workspaceIds[i] = r.workspaceId().toString();
            systems[i] = r.system();
            integrationIds[i] = r.integrationId() == null ? null : r.integrationId().toString();
            objectTypes[i] = r.objectType();
            objectIds[i] = r.objectId();
            payloads[i] = NulCharacters.replaceInJson(r.payloadJson());
            if (!payloads[i].equals(r.payloadJson())) {
                withNul++;
                firstWithNul = firstWithNul == null ? r : firstWithNul;
            }
            updatedAts[i] = r.updatedAt() == null ? null : r.updatedAt().toString();
            deleted[i] = r.deleted();
        }
        if (withNul > 0) {
            LOG.warn("{} record(s) carried U+0000, which PostgreSQL cannot store: written with U+FFFD in its place"
                            + " (the first: {} {} {})", withNul, firstWithNul.system(), firstWithNul.objectType(),
                    firstWithNul.objectId());
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
            Object[][] columns = {workspaceIds, systems, integrationIds, objectTypes, objectIds, payloads, updatedAts};
            List<Array> arrays = new ArrayList<>();
            for (int c = 0; c < columns.length; c++) {
                Array array = connection.createArrayOf("text", columns[c]);
                arrays.add(array);
                statement.setArray(c + 1, array);
            }
            Array deletedArray = connection.createArrayOf("bool", deleted);
            arrays.add(deletedArray);
            statement.setArray(columns.length + 1, deletedArray);
            try (ResultSet rs = statement.executeQuery()) {
                IngestCounts counts = IngestCounts.NONE;
                while (rs.next()) {
                    IngestCounts group = groupCounts(rs);
                    String system = rs.getString(1);
                    String objectType = rs.getString(2);
                    afterCommit(() -> metrics.recordsIngested(metricSystem(system), metricObjectType(system, objectType),
                            group.inserted(), group.updated(), group.unchanged(), group.stale()));
                    counts = counts.plus(group);
                }
                for (Array array : arrays) {
                    array.free();
                }
                return counts;
            }
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
