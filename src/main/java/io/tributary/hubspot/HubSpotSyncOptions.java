package io.tributary.hubspot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;

/**
 * What a sync request asked for. mode: incremental (the schedule's), full (deals, then their
 * companies, then those companies' contacts) or catalog_only (full, into the catalog).
 * backfill: how far back to reach instead of the cursor (30d, 90d, 365d, all).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HubSpotSyncOptions(List<String> objects, List<String> dealStages, String mode, String backfill) {

    public static final List<String> MODES = List.of("incremental", "full", "catalog_only");
    public static final List<String> BACKFILLS = List.of("30d", "90d", "365d", "all");

    public static HubSpotSyncOptions scheduled() {
        return new HubSpotSyncOptions(null, null, "incremental", null);
    }

    /** The objects in the order the mode runs them: full modes start from deals. */
    public List<HubSpotObject> objectsInOrder() {
        List<String> asked = objects == null || objects.isEmpty()
                ? List.of("companies", "contacts", "deals") : objects;
        List<HubSpotObject> order = isFull()
                ? List.of(HubSpotObject.DEALS, HubSpotObject.COMPANIES, HubSpotObject.CONTACTS)
                : List.of(HubSpotObject.COMPANIES, HubSpotObject.CONTACTS, HubSpotObject.DEALS);
        return order.stream().filter(object -> asked.contains(object.plural())).toList();
    }

    public boolean isFull() {
        return "full".equals(mode) || "catalog_only".equals(mode);
    }

    public boolean catalogOnly() {
        return "catalog_only".equals(mode);
    }

    /** The backfill window; null for none, Duration.ZERO-less "all" as a very long window. */
    public Duration backfillWindow() {
        if (backfill == null) {
            return null;
        }
        return "all".equals(backfill) ? null : Duration.ofDays(Long.parseLong(backfill.replace("d", "")));
    }

    public boolean backfillAll() {
        return "all".equals(backfill);
    }
}
