package io.tributary.salesforce;

import java.time.Duration;
import java.util.List;

/** What a Salesforce sync request asked for: a backfill window (30d, 90d, 365d, all) instead of the cursor. */
public record SalesforceSyncOptions(String backfill) {

    public static final List<String> BACKFILLS = List.of("30d", "90d", "365d", "all");

    /** How far back to reach when there is no cursor (or a backfill was asked for); null: everything. */
    public static Duration window(String backfill) {
        return backfill == null || "all".equals(backfill) ? null : Duration.ofDays(Long.parseLong(backfill.replace("d", "")));
    }
}
