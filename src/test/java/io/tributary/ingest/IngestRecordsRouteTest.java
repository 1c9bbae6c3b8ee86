package io.tributary.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ingest-records route from routes/, on its own: how it batches, sums and stops on failure. */
class IngestRecordsRouteTest {

    private final List<Integer> batchSizes = new ArrayList<>();
    private int failOnBatch = -1;
    private CamelContext camel;
    private ProducerTemplate producer;

    /** Stands in for the store: records each batch and answers as if every record were new. */
    public class RecordingStore {
        public IngestCounts upsert(List<IngestRecord> batch) throws SQLException {
            batchSizes.add(batch.size());
            if (batchSizes.size() == failOnBatch) {
                throw new SQLException("connection lost", "08006");
            }
            return new IngestCounts(batch.size(), batch.size(), 0, 0, 0);
        }
    }

    @BeforeEach
    void startRoute() throws Exception {
        camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("tributary.ingest.batch-size", "100");
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getRegistry().bind("ingestStore", new RecordingStore());
        camel.getRegistry().bind("ingestCountsAggregation", new IngestCountsAggregation());
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                ResourceHelper.resolveResource(camel, "file:routes/ingest-records.camel.yaml"));
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stopRoute() {
        camel.stop();
    }

    @Test
    void splitsIntoBatchesOfTheConfiguredSizeAndSumsTheirCounts() {
        IngestCounts counts = producer.requestBody(IngestService.ROUTE_URI, records(250), IngestCounts.class);

        assertThat(batchSizes).containsExactly(100, 100, 50);
        assertThat(counts).isEqualTo(new IngestCounts(250, 250, 0, 0, 0));
    }

    @Test
    void aFailedBatchFailsTheCallAndStopsTheRest() {
        failOnBatch = 2;

        assertThatThrownBy(() -> producer.requestBody(IngestService.ROUTE_URI, records(350), IngestCounts.class))
                .isInstanceOf(CamelExecutionException.class)
                .hasRootCauseInstanceOf(SQLException.class);
        assertThat(batchSizes).containsExactly(100, 100);
    }

    private static List<IngestRecord> records(int n) {
        UUID workspace = UUID.randomUUID();
        return IntStream.range(0, n)
                .mapToObj(i -> new IngestRecord(workspace, "stripe", null, "customer", "c" + i, "{}", null, false))
                .toList();
    }
}
