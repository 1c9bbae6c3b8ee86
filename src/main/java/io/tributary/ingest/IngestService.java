package io.tributary.ingest;

import java.sql.SQLException;
import java.util.List;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;
import org.springframework.stereotype.Service;

/**
 * The one way into the store from Java: hands records to the ingest-records route, which splits
 * them into batches, upserts each and sums the counts. Returns once every batch has committed.
 */
@Service
public class IngestService {

    public static final String ROUTE_URI = "direct:ingest-records";

    private static final SQLExceptionTranslator SQL_ERRORS = new SQLStateSQLExceptionTranslator();

    private final ProducerTemplate producer;

    public IngestService(ProducerTemplate producer) {
        this.producer = producer;
    }

    public IngestCounts ingest(List<IngestRecord> records) {
        return ingest(records, false);
    }

    /**
     * For a caller that, should this call fail, retries the same records itself (the webhook worker
     * retries a failed batch event by event): their failure is counted by that retry, not here.
     */
    public IngestCounts ingestRetriedOnFailure(List<IngestRecord> records) {
        return ingest(records, true);
    }

    private IngestCounts ingest(List<IngestRecord> records, boolean retriedOnFailure) {
        if (records.isEmpty()) {
            return IngestCounts.NONE;
        }
        try {
            return producer.requestBodyAndHeader(ROUTE_URI, records, IngestStore.RETRIED_ON_FAILURE, retriedOnFailure,
                    IngestCounts.class);
        } catch (CamelExecutionException e) {
            // Surface store failures as Spring's data-access exceptions, so callers tell outages from bugs.
            if (e.getCause() instanceof SQLException sql) {
                throw SQL_ERRORS.translate("ingest", null, sql);
            }
            throw e;
        }
    }
}
