package io.tributary.stripe;

import io.tributary.common.LogContext;
import io.tributary.common.SafeErrors;
import io.tributary.common.TributaryMetrics;
import io.tributary.database.DatabaseUnavailable;
import io.tributary.database.OutageLog;
import io.tributary.ingest.IngestRecord;
import io.tributary.ingest.IngestService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns stored events into records. A batch is claimed, ingested and marked processed in one
 * transaction, so an event is never marked processed without its record, nor the reverse. When a
 * batch fails, its events are retried one by one, so one bad event cannot hold back the others.
 */
@Component
public class WebhookEventWorker {

    private static final Logger log = LoggerFactory.getLogger(WebhookEventWorker.class);
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final WebhookEventRepository events;
    private final IngestService ingest;
    private final TransactionTemplate transaction;
    private final StripeProperties properties;
    private final OutageLog outage = new OutageLog(log, "stripe-webhook-worker");
    private final TributaryMetrics metrics;

    public WebhookEventWorker(WebhookEventRepository events, IngestService ingest, TransactionTemplate transaction,
                              StripeProperties properties, TributaryMetrics metrics) {
        this.events = events;
        this.ingest = ingest;
        this.transaction = transaction;
        this.properties = properties;
        this.metrics = metrics;
    }

    /** What settling a claimed batch did: events turned into records, events that failed. */
    private record Settled(int processed, int failed) {

        int claimed() {
            return processed + failed;
        }
    }

    /** Processes due events until none are left. Called by the stripe-webhook-worker route. */
    public void processDue() {
        try {
            outage.attempt(this::drain);
        } catch (RuntimeException e) {
            // The events stay due and the next poll tries again.
            log.warn("Webhook events could not be processed now: {}", SafeErrors.describe(e));
        }
    }

    private void drain() {
        int claimed;
        do {
            claimed = processBatch(properties.workerBatchSize());
        } while (claimed == properties.workerBatchSize());
    }

    private int processBatch(int limit) {
        try {
            // A failed batch is retried (one by one below, or by the next poll in an outage): the retry counts
            // its failed records, not this attempt.
            Settled settled = transaction.execute(status -> settle(events.claimDue(limit, properties.maxAttempts()),
                    ingest::ingestRetriedOnFailure));
            // Counted once committed: a batch that rolls back is retried event by event and counted there.
            metrics.webhookEventsSettled("stripe", settled.processed(), settled.failed());
            return settled.claimed();
        } catch (RuntimeException batchFailure) {
            if (DatabaseUnavailable.isCause(batchFailure)) {
                // No event is to blame; one by one would only fail again.
                throw batchFailure;
            }
            log.warn("A batch of webhook events failed ({}); retrying them one by one",
                    SafeErrors.describe(batchFailure));
            int settled = 0;
            while (settled < limit && processOne()) {
                settled++;
            }
            return settled;
        }
    }

    /** Claims, settles and commits a single event; false when none is due. */
    private boolean processOne() {
        List<WebhookEvent> one = new ArrayList<>();
        try {
            Settled settled = transaction.execute(status -> {
                one.addAll(events.claimDue(1, properties.maxAttempts()));
                return settle(one, ingest::ingest);
            });
            metrics.webhookEventsSettled("stripe", settled.processed(), settled.failed());
        } catch (RuntimeException e) {
            if (one.isEmpty() || DatabaseUnavailable.isCause(e)) {
                throw e;
            }
            WebhookEvent failed = one.get(0);
            String error = SafeErrors.describe(e);
            try (LogContext ignored = LogContext.forIntegration(failed.integrationId())) {
                log.warn("Stripe event {} failed: {}", failed.eventId(), error);
                transaction.executeWithoutResult(status -> events.markFailed(failed.id(), error,
                        backoff(failed.attempts() + 1)));
            }
            metrics.webhookEventsSettled("stripe", 0, 1);
        }
        return !one.isEmpty();
    }

    /**
     * Within the caller's transaction: events that map become records, written by store; the others
     * fail for a reason of ours.
     */
    private Settled settle(List<WebhookEvent> batch, Consumer<List<IngestRecord>> store) {
        List<IngestRecord> records = new ArrayList<>();
        List<Long> mapped = new ArrayList<>();
        for (WebhookEvent event : batch) {
            try {
                records.add(StripeEventMapper.toRecord(event));
                mapped.add(event.id());
            } catch (StripeEventMapper.UnmappableEvent e) {
                try (LogContext ignored = LogContext.forIntegration(event.integrationId())) {
                    log.warn("Stripe event {} cannot become a record: {}", event.eventId(), e.getMessage());
                }
                events.markFailed(event.id(), e.getMessage(), backoff(event.attempts() + 1));
            }
        }
        store.accept(records);
        events.markProcessed(mapped);
        return new Settled(mapped.size(), batch.size() - mapped.size());
    }

    /** Exponential: the base, doubled per attempt made, capped at an hour. */
    Duration backoff(int attemptsMade) {
        Duration delay = properties.retryBackoff().multipliedBy(1L << Math.min(attemptsMade - 1, 20));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }
}
