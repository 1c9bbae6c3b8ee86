package io.tributary.ingest;

/** What an upsert did with the records it was given; every record lands in exactly one bucket. */
public record IngestCounts(long received, long inserted, long updated, long unchanged, long stale) {

    public static final IngestCounts NONE = new IngestCounts(0, 0, 0, 0, 0);

    public IngestCounts plus(IngestCounts other) {
        return new IngestCounts(received + other.received, inserted + other.inserted, updated + other.updated,
                unchanged + other.unchanged, stale + other.stale);
    }

    /** Records that reached the store as a new row or a new version. */
    public long written() {
        return inserted + updated;
    }
}
