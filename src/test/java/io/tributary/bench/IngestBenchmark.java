package io.tributary.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.support.Api;
import io.tributary.support.RunningApp;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Ingest throughput against one PostgreSQL: (a) raw JDBC batched upserts, the floor of what a write
 * costs, then (b) the same number of records through POST /api/v1/ingest/batch, 100 per request
 * from 4 concurrent clients. Prints both rates and b/a.
 * Run: mvn -B -Pbench test -Dtest=IngestBenchmark [-Dbench.records=200000]
 */
@Tag("benchmark")
class IngestBenchmark {

    private static final String KEY = "trb_benchmark_key_0123456789";
    private static final int BATCH = 100;
    private static final int CLIENTS = 4;
    private static final String RAW_UPSERT = """
            INSERT INTO source_records (workspace_id, system, integration_id, object_type, object_id, payload,
                                        updated_at, deleted)
            VALUES (?, ?, NULL, ?, ?, ?::jsonb, now(), false)
            ON CONFLICT (workspace_id, system, integration_key, object_type, object_id) DO UPDATE
            SET payload = excluded.payload, updated_at = excluded.updated_at, version = source_records.version + 1,
                last_changed_at = now()
            WHERE source_records.payload IS DISTINCT FROM excluded.payload""";

    @Test
    void rawJdbcVersusHttpIngest(@TempDir Path dataDir) throws Exception {
        int records = Integer.getInteger("bench.records", 200_000);
        try (RunningApp app = RunningApp.start("--tributary.data-dir=" + dataDir, "--tributary.api-key=" + KEY,
                "--logging.level.root=WARN")) {
            DataSource dataSource = app.bean(DataSource.class);
            UUID workspace = app.bean(JdbcClient.class).sql("SELECT id FROM workspaces WHERE name = 'default'")
                    .query(UUID.class).single();
            Api api = app.api(KEY);

            // Warm both paths up (JIT, connection pool, PostgreSQL caches) on keys the measured runs never touch.
            rawUpserts(dataSource, workspace, "warmup", Math.min(60_000, records));
            httpIngest(api, "warmup", Math.min(60_000, records));

            double raw = rate(records, () -> rawUpserts(dataSource, workspace, "company", records));
            double http = rate(records, () -> httpIngest(api, "company", records));

            long stored = app.bean(JdbcClient.class).sql(
                    "SELECT count(*) FROM source_records WHERE object_type = 'company'").query(Long.class).single();
            System.out.printf("%n=== Ingest benchmark: %,d records, batches of %d, %d cores ===%n", records, BATCH,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("(a) raw JDBC batched upserts, 1 connection : %,10.0f records/s%n", raw);
            System.out.printf("(b) POST /api/v1/ingest/batch, %d clients   : %,10.0f records/s%n", CLIENTS, http);
            System.out.printf("ratio b/a                                  : %10.2f  (target >= 0.70)%n", http / raw);
            System.out.printf("rows stored (both runs)                    : %,10d%n%n", stored);
            assertThat(stored).isEqualTo(2L * records);
        }
    }

    private interface Run {
        void run() throws Exception;
    }

    private static double rate(int records, Run run) throws Exception {
        long start = System.nanoTime();
        run.run();
        return records / ((System.nanoTime() - start) / 1e9);
    }

    private static void rawUpserts(DataSource dataSource, UUID workspace, String objectType, int records)
            throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(RAW_UPSERT)) {
            for (int i = 0; i < records; i++) {
                statement.setObject(1, workspace);
                statement.setString(2, "salesforce");
                statement.setString(3, objectType);
                statement.setString(4, "raw-" + i);
                statement.setString(5, payload(i));
                statement.addBatch();
                if ((i + 1) % BATCH == 0 || i == records - 1) {
                    statement.executeBatch();
                }
            }
        }
    }

    private static void httpIngest(Api api, String objectType, int records) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int start = 0; start < records; start += BATCH) {
            StringBuilder body = new StringBuilder("{\"records\":[");
            for (int i = start; i < Math.min(start + BATCH, records); i++) {
                if (i > start) {
                    body.append(',');
                }
                body.append("{\"system\":\"hubspot\",\"object_type\":\"").append(objectType)
                        .append("\",\"object_id\":\"api-").append(i).append("\",\"payload\":").append(payload(i))
                        .append(",\"updated_at\":\"2026-11-01T00:00:00Z\"}");
            }
            bodies.add(body.append("]}").toString());
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Long>> inserted = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                inserted.add(clients.submit(() -> {
                    long count = 0;
                    for (int b = next.getAndIncrement(); b < bodies.size(); b = next.getAndIncrement()) {
                        Api.Response response = api.send(api.request("/api/v1/ingest/batch")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(b))));
                        if (response.status() != 200) {
                            throw new IllegalStateException("Ingest failed: " + response);
                        }
                        count += response.json().get("inserted").asLong();
                    }
                    return count;
                }));
            }
            long total = 0;
            for (Future<Long> f : inserted) {
                total += f.get();
            }
            assertThat(total).isEqualTo(records);
        } finally {
            clients.shutdown();
        }
    }

    private static String payload(int i) {
        return "{\"name\":\"Company " + i + "\",\"domain\":\"c" + i + ".example.com\",\"employees\":" + (i % 5000)
                + ",\"city\":\"Berlin\",\"industry\":\"SOFTWARE\",\"lifecyclestage\":\"customer\"}";
    }
}
