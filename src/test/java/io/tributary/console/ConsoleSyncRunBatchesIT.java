package io.tributary.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.ConsoleClient;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.SyncRunRows;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
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
        ConsoleClient console = signedIn(api);
        String path = "/console/sync-runs/" + runId;

        String latest = console.get(path).text();
        assertThat(latest).contains("Showing the last 100 of 1,234 batches", "Latest batches")
                .doesNotContain("Later →");
        assertThat(batchColumn(latest)).isEqualTo(IntStream.rangeClosed(1135, 1234).boxed().toList());
        // Earlier leads to the page holding batch 1134 (batches 1101-1200, pages of 100 from the first).
        String earlierLink = pagerLink(latest, "Earlier");
        assertThat(earlierLink).isEqualTo(path + "?page=11");
        String twelfth = console.get(earlierLink).text();
        assertThat(batchColumn(twelfth)).isEqualTo(IntStream.rangeClosed(1101, 1200).boxed().toList());
        assertThat(twelfth).contains("Page 12 of 13", "Showing batches 1,101–1,200 of 1,234")
                .doesNotContain("Showing the last");
        String last = console.get(pagerLink(twelfth, "Later")).text();
        assertThat(batchColumn(last)).isEqualTo(IntStream.rangeClosed(1201, 1234).boxed().toList());
        assertThat(last).contains("Page 13 of 13").doesNotContain("Later →");
        assertThat(batchColumn(console.get(pagerLink(last, "Earlier")).text())).isEqualTo(batchColumn(twelfth));

        String first = console.get(path + "?page=0").text();
        assertThat(batchColumn(first)).isEqualTo(IntStream.rangeClosed(1, 100).boxed().toList());
        assertThat(first).contains("Page 1 of 13").doesNotContain("← Earlier");
        assertThat(pagerLink(first, "Later")).isEqualTo(path + "?page=1");
        assertThat(batchColumn(console.get(path + "?page=99").text())).isEqualTo(batchColumn(last));

        assertThat(signedIn(newWorkspace()).get(path + "?page=0").status()).isEqualTo(404);
    }

    @Test
    void aShortRunShowsEveryBatchWithoutAPager() {
        Api api = newWorkspace();
        String integrationId = HubSpotConnections.connect(api, HUBSPOT, HUBSPOT.portal(9712, "short-run.hubspot.com"),
                "Short run");
        UUID runId = SyncRunRows.withBatches(jdbc, integrationId, 100);

        String page = signedIn(api).get("/console/sync-runs/" + runId).text();
        assertThat(batchColumn(page)).isEqualTo(IntStream.rangeClosed(1, 100).boxed().toList());
        assertThat(page).doesNotContain("Showing the last", "class=\"pager\"", "Earlier");
    }

    /** The sequence numbers of a run page's batch rows, top to bottom. */
    private static List<Integer> batchColumn(String page) {
        Matcher rows = BATCH_ROW.matcher(page);
        List<Integer> sequences = new ArrayList<>();
        while (rows.find()) {
            sequences.add(Integer.parseInt(rows.group(1)));
        }
        return sequences;
    }

    /** Where the pager's Earlier or Later button leads. */
    private static String pagerLink(String page, String label) {
        Matcher link = Pattern.compile("<a class=\"button\" href=\"([^\"]+)\">[^<]*" + label).matcher(page);
        assertThat(link.find()).as("a " + label + " link").isTrue();
        return link.group(1).replace("&amp;", "&");
    }

    private ConsoleClient signedIn(Api api) {
        ConsoleClient console = new ConsoleClient(port);
        assertThat(console.signIn(api.apiKey()).status()).isEqualTo(302);
        return console;
    }
}
