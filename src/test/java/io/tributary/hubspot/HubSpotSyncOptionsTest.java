package io.tributary.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HubSpotSyncOptionsTest {

    @Test
    void incrementalRunsCompaniesContactsDealsAndFullModesStartFromDeals() {
        assertThat(new HubSpotSyncOptions(null, null, "incremental", null).objectsInOrder())
                .containsExactly(HubSpotObject.COMPANIES, HubSpotObject.CONTACTS, HubSpotObject.DEALS);
        assertThat(new HubSpotSyncOptions(List.of("contacts", "deals", "companies"), null, "full", null).objectsInOrder())
                .containsExactly(HubSpotObject.DEALS, HubSpotObject.COMPANIES, HubSpotObject.CONTACTS);
        assertThat(new HubSpotSyncOptions(List.of("deals"), null, "incremental", null).objectsInOrder())
                .containsExactly(HubSpotObject.DEALS);
        assertThat(new HubSpotSyncOptions(null, null, "catalog_only", null).catalogOnly()).isTrue();
    }

    @Test
    void backfillWindowsAreDaysAndAllReachesEverything() {
        assertThat(new HubSpotSyncOptions(null, null, "incremental", "90d").backfillWindow()).isEqualTo(Duration.ofDays(90));
        assertThat(new HubSpotSyncOptions(null, null, "incremental", "all").backfillAll()).isTrue();
        assertThat(new HubSpotSyncOptions(null, null, "incremental", null).backfillWindow()).isNull();
    }
}
