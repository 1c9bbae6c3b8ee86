package io.tributary.console;

import static io.tributary.support.ConsoleClient.numbers;
import static io.tributary.support.ConsoleClient.pagerLink;
import static io.tributary.support.ConsoleClient.signedIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.ConsoleClient;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.SyncRunRows;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A sync run's page over HTTP: its last batches, and every batch by pages of 100 when there are more. */
class ConsoleSyncRunBatchesIT extends AppTest {

    private static final Pattern BATCH_ROW = Pattern.compile("<tr>\\s*<td class=\"num\">(\\d+)</td>");

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void resetHubSpot() {
        HUBSPOT.reset();
    }

    @Test
    void aLongRunShowsItsLastHundredBatchesAndPagesThroughTheRest() {
        Api api = newWorkspace();
        String integrationId = HubSpotConnections.connect(api, HUBSPOT, HUBSPOT.portal(9711, "long-run.hubspot.com"),
                "Long run");
        UUID runId = SyncRunRows.withBatches(jdbc, integrationId, 1234);
        ConsoleClient console = signedIn(port, api);
        String path = "/console/sync-runs/" + runId;

        String latest = console.get(path).text();
        assertThat(latest).contains("Showing the last 100 of 1,234 batches", "Latest batches")
                .doesNotContain("Later →");
        assertThat(numbers(latest, BATCH_ROW)).isEqualTo(IntStream.rangeClosed(1135, 1234).boxed().toList());
        // Earlier leads to the page holding batch 1134 (batches 1101-1200, pages of 100 from the first).
        String earlierLink = pagerLink(latest, "Earlier");
        assertThat(earlierLink).isEqualTo(path + "?page=11");
        String twelfth = console.get(earlierLink).text();
        assertThat(numbers(twelfth, BATCH_ROW)).isEqualTo(IntStream.rangeClosed(1101, 1200).boxed().toList());
        assertThat(twelfth).contains("Page 12 of 13", "Showing batches 1,101–1,200 of 1,234")
                .doesNotContain("Showing the last");
        String last = console.get(pagerLink(twelfth, "Later")).text();
        assertThat(numbers(last, BATCH_ROW)).isEqualTo(IntStream.rangeClosed(1201, 1234).boxed().toList());
        assertThat(last).contains("Page 13 of 13").doesNotContain("Later →");
        assertThat(numbers(console.get(pagerLink(last, "Earlier")).text(), BATCH_ROW)).isEqualTo(numbers(twelfth, BATCH_ROW));

        String first = console.get(path + "?page=0").text();
        assertThat(numbers(first, BATCH_ROW)).isEqualTo(IntStream.rangeClosed(1, 100).boxed().toList());
        assertThat(first).contains("Page 1 of 13").doesNotContain("← Earlier");
        assertThat(pagerLink(first, "Later")).isEqualTo(path + "?page=1");
        assertThat(numbers(console.get(path + "?page=99").text(), BATCH_ROW)).isEqualTo(numbers(last, BATCH_ROW));

        assertThat(signedIn(port, newWorkspace()).get(path + "?page=0").status()).isEqualTo(404);
    }

    @Test
    void aShortRunShowsEveryBatchWithoutAPager() {
        Api api = newWorkspace();
        String integrationId = HubSpotConnections.connect(api, HUBSPOT, HUBSPOT.portal(9712, "short-run.hubspot.com"),
                "Short run");
        UUID runId = SyncRunRows.withBatches(jdbc, integrationId, 100);

        String page = signedIn(port, api).get("/console/sync-runs/" + runId).text();
        assertThat(numbers(page, BATCH_ROW)).isEqualTo(IntStream.rangeClosed(1, 100).boxed().toList());
        assertThat(page).doesNotContain("Showing the last", "class=\"pager\"", "Earlier");
    }
}
