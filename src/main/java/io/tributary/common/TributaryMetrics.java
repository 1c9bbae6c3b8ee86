package io.tributary.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Every tributary_* meter, so their names and tags are defined once. Tags carry only bounded
 * values (provider, system, object type, outcome), never an id: each distinct value is a series
 * kept in memory and scraped forever.
 */
@Component
public class TributaryMetrics {

    public static final String REFRESH_SUCCESS = "success";
    public static final String REFRESH_REAUTH_REQUIRED = "reauth_required";
    public static final String REFRESH_ERROR = "error";

    public static final String WEBHOOK_STORED = "stored";
    public static final String WEBHOOK_DUPLICATE = "duplicate";
    public static final String WEBHOOK_REJECTED = "rejected";
    public static final String WEBHOOK_ERROR = "error";

    private final MeterRegistry registry;

    public TributaryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** What the store did with records of one system and object type. */
    public void recordsIngested(String system, String objectType, long inserted, long updated, long unchanged,
                                long stale) {
        ingested(system, objectType, "inserted", inserted);
        ingested(system, objectType, "updated", updated);
        ingested(system, objectType, "unchanged", unchanged);
        ingested(system, objectType, "stale", stale);
    }

    /** Records whose upsert failed (the store refused or was unreachable). */
    public void recordsFailed(String system, String objectType, long count) {
        ingested(system, objectType, "failed", count);
    }

    private void ingested(String system, String objectType, String result, long count) {
        if (count > 0) {
            Counter.builder("tributary.records.ingested")
                    .description("Records that reached the ingest store, by what the upsert did with them")
                    .tags("system", system, "object_type", objectType, "result", result)
                    .register(registry).increment(count);
        }
    }

    /**
     * A webhook delivery: stored, duplicate (already stored), rejected (unknown endpoint, bad signature
     * or body) or error (ours: not stored, the provider delivers again).
     */
    public void webhookReceived(String provider, String result) {
        Counter.builder("tributary.webhook.events.received")
                .description("Webhook deliveries, by whether the event was stored")
                .tags("provider", provider, "result", result)
                .register(registry).increment();
    }

    /** Stored webhook events turned into records, and processing attempts that failed (retried later). */
    public void webhookEventsSettled(String provider, long processed, long failed) {
        if (processed > 0) {
            Counter.builder("tributary.webhook.events.processed")
                    .description("Stored webhook events turned into records")
                    .tag("provider", provider).register(registry).increment(processed);
        }
        if (failed > 0) {
            Counter.builder("tributary.webhook.events.failed")
                    .description("Webhook event processing attempts that failed (the event is retried with backoff)")
                    .tag("provider", provider).register(registry).increment(failed);
        }
    }

    /** A sync run ended with status succeeded, partial or failed. */
    public void syncRunFinished(String provider, String objectType, String status, Duration duration) {
        Timer.builder("tributary.sync.run.duration")
                .description("How long sync runs took, by how they ended")
                .tags("provider", provider, "object_type", objectType, "status", status)
                .register(registry).record(duration);
    }

    /** A running sync made no progress for the stall timeout and was ended. */
    public void syncStalled(String provider) {
        Counter.builder("tributary.sync.stalled")
                .description("Sync runs ended because they made no progress for tributary.sync.stall-timeout")
                .tag("provider", provider).register(registry).increment();
    }

    /** A provider answered an HTTP request; a 429 also counts as rate limited. */
    public void providerAnswered(String provider, int status) {
        providerAnswered(provider, status, status == 429);
    }

    /** A provider answered an HTTP request; rateLimited for limits it reports otherwise than with a 429. */
    public void providerAnswered(String provider, int status, boolean rateLimited) {
        providerRequest(provider, (status / 100) + "xx");
        if (rateLimited) {
            Counter.builder("tributary.provider.rate.limited")
                    .description("Provider answers that said a rate or API limit was reached")
                    .tag("provider", provider).register(registry).increment();
        }
    }

    /** A request that got no HTTP answer (connection refused, timeout). */
    public void providerUnreachable(String provider) {
        providerRequest(provider, "unreachable");
    }

    private void providerRequest(String provider, String outcome) {
        Counter.builder("tributary.provider.requests")
                .description("HTTP requests to providers, by status class of the answer")
                .tags("provider", provider, "outcome", outcome)
                .register(registry).increment();
    }

    /** An OAuth token refresh: success, reauth_required (the provider refused the refresh token) or error. */
    public void tokenRefreshed(String provider, String result) {
        Counter.builder("tributary.token.refreshes")
                .description("OAuth token refreshes, by result")
                .tags("provider", provider, "result", result)
                .register(registry).increment();
    }
}
