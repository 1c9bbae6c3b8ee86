package io.tributary.ingest;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Sums the counts of each committed batch of a split, so the split's result is the whole request's. */
@Component("ingestCountsAggregation")
public class IngestCountsAggregation implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange total, Exchange batch) {
        IngestCounts counts = batch.getMessage().getBody(IngestCounts.class);
        if (total == null) {
            return batch;
        }
        IngestCounts sum = total.getMessage().getBody(IngestCounts.class).plus(counts);
        total.getMessage().setBody(sum);
        return total;
    }
}
