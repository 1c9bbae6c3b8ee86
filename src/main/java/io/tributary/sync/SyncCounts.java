package io.tributary.sync;

/**
 * What one step of a run did: fetched from the provider; ingested (stored or confirmed current);
 * skipped (older than what the store holds); failed (could not be mapped into a record).
 */
public record SyncCounts(long fetched, long ingested, long skipped, long failed) {
}
