package io.tributary.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import io.tributary.support.HubSpotTestLimits;
import io.tributary.support.SalesforceConnections;
import io.tributary.support.SalesforceDouble;
import io.tributary.support.SyncRunRows;
import io.tributary.support.SyncStatus;
import io.tributary.support.Syncs;
import io.tributary.support.TestSchedules;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class SyncRunsIT extends AppTest {

    private static final Instant RECENT = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void resetDoubles() {
        HUBSPOT.reset();
        SALESFORCE.reset();
    }

    @Test
    void listsTheWorkspacesRunsNewestFirstFilteredEachWayAndPaged() throws InterruptedException {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8101, "runs.hubspot.com");
        portal.put("companies", 1, RECENT, Map.of("name", "Listed"));
        HUBSPOT.forbid("deals");
        String hubSpot = HubSpotConnections.connect(api, HUBSPOT, portal, "Runs");
        SalesforceDouble.Org org = SALESFORCE.org("00D000000000101AAA", false);
        org.generate("Account", 3, RECENT, Duration.ofSeconds(1));
        String salesforce = SalesforceConnections.connect(api, SALESFORCE, org, "environment=production");
        // No run but the ones this test asks for: both schedules out of the way.
        TestSchedules.setCron(api, hubSpot, TestSchedules.NEVER);
        TestSchedules.setCron(api, salesforce, TestSchedules.NEVER);

        Syncs.runToEnd(api, hubSpot);
        Syncs.runToEnd(api, salesforce);
        // One scheduled run at least: the portal's schedule every second, then back to a quiet one.
        TestSchedules.setCron(api, hubSpot, "0/1 * * * * ?");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (list(api, "trigger=scheduled").get("total").asLong() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        TestSchedules.setCron(api, hubSpot, TestSchedules.NEVER);
        // A trigger that fired just before the change may still be queueing its job.
        Thread.sleep(2_000);
        SyncStatus.awaitIdle(api, hubSpot);

        JsonNode all = list(api, "size=200");
        List<JsonNode> runs = items(all);
        assertThat(all.get("total").asLong()).isEqualTo(runs.size()).isGreaterThanOrEqualTo(8);
        assertThat(all.get("page").asInt()).isZero();
        assertThat(all.get("size").asInt()).isEqualTo(200);
        for (int i = 1; i < runs.size(); i++) {
            assertThat(Instant.parse(runs.get(i - 1).get("queued_at").asText()))
                    .isAfterOrEqualTo(Instant.parse(runs.get(i).get("queued_at").asText()));
        }
        assertThat(runs.get(0).fieldNames()).toIterable().contains("id", "integration_id", "provider", "object_type",
                "trigger", "status", "fetched", "ingested", "failed", "skipped", "started_at", "duration_ms",
                "finished_at", "queued_at");

        assertFilter(api, runs, "provider=salesforce", run -> text(run, "provider").equals("salesforce"));
        assertFilter(api, runs, "integration_id=" + salesforce, run -> text(run, "integration_id").equals(salesforce));
        assertFilter(api, runs, "status=failed", run -> text(run, "status").equals("failed"));
        assertFilter(api, runs, "trigger=scheduled", run -> text(run, "trigger").equals("scheduled"));
        assertFilter(api, runs, "trigger=manual&provider=hubspot&status=succeeded", run -> text(run, "trigger")
                .equals("manual") && text(run, "provider").equals("hubspot") && text(run, "status").equals("succeeded"));
        assertThat(items(list(api, "status=failed"))).allMatch(run -> text(run, "object_type").equals("deals"));
        assertThat(items(list(api, "provider=salesforce"))).extracting(run -> text(run, "object_type"))
                .containsExactlyInAnyOrder("accounts", "contacts");
        assertThat(list(api, "trigger=resume").get("total").asLong()).isZero();

        List<String> paged = new ArrayList<>();
        for (int page = 0; page * 3 < runs.size(); page++) {
            JsonNode body = list(api, "size=3&page=" + page);
            assertThat(body.get("total").asLong()).isEqualTo(runs.size());
            assertThat(body.get("page").asInt()).isEqualTo(page);
            items(body).forEach(run -> paged.add(text(run, "id")));
        }
        assertThat(paged).isEqualTo(runs.stream().map(run -> text(run, "id")).toList());
        JsonNode beyond = list(api, "size=3&page=1000");
        assertThat(beyond.get("items")).isEmpty();
        assertThat(beyond.get("total").asLong()).isEqualTo(runs.size());
        assertThat(items(list(api, "")).size()).isEqualTo(Math.min(20, runs.size()));

        // Another workspace sees none of them, by list, by filter or by id.
        Api other = newWorkspace();
        assertThat(list(other, "").get("total").asLong()).isZero();
        assertThat(list(other, "integration_id=" + hubSpot).get("items")).isEmpty();
        Api.Response foreign = other.get("/api/v1/sync-runs/" + text(runs.get(0), "id"));
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().get("error").asText()).isEqualTo("not_found");
        assertThat(api.get("/api/v1/sync-runs/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(anonymous().get("/api/v1/sync-runs").status()).isEqualTo(401);
    }

    @Test
    void unknownFiltersAndBadPagesAreRefusedNamingTheField() {
        Api api = newWorkspace();
        assertInvalid(api, "status=done", "status");
        assertInvalid(api, "trigger=cron", "trigger");
        assertInvalid(api, "provider=stripe", "provider");
        assertInvalid(api, "size=201", "size");
        assertInvalid(api, "size=0", "size");
        assertInvalid(api, "page=-1", "page");
        assertInvalid(api, "page=first", "page");
        assertInvalid(api, "integration_id=not-an-id", "integration_id");
        assertThat(api.get("/api/v1/sync-runs/not-an-id").status()).isEqualTo(422);
        assertThat(list(api, "size=200&trigger=resume&status=interrupted").get("total").asLong()).isZero();
    }

    @Test
    void aRunsDetailHasEachCommittedBatchAndTheyAddUpToTheRun() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8102, "batches.hubspot.com");
        int companies = 2 * HubSpotTestLimits.PAGE_SIZE + 50;
        portal.generate("companies", companies, 1, RECENT, Duration.ofSeconds(1));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Batches");

        String runId = Syncs.request(api, id, Map.of("objects", List.of("companies"))).get(0);
        SyncStatus.awaitIdle(api, id);
        JsonNode run = api.get("/api/v1/sync-runs/" + runId).json();

        assertThat(text(run, "status")).isEqualTo("succeeded");
        assertThat(run.get("fetched").asLong()).isEqualTo(companies);
        assertThat(run.get("error").isNull()).isTrue();
        List<JsonNode> batches = StreamSupport.stream(run.get("batches").spliterator(), false).toList();
        assertThat(batches).extracting(batch -> batch.get("sequence").asInt()).containsExactly(1, 2, 3);
        assertThat(run.get("batch_count").asInt()).isEqualTo(3);
        assertThat(batches).extracting(batch -> batch.get("fetched").asLong())
                .containsExactly((long) HubSpotTestLimits.PAGE_SIZE, (long) HubSpotTestLimits.PAGE_SIZE, 50L);
        for (String count : List.of("fetched", "ingested", "failed", "skipped")) {
            assertThat(batches.stream().mapToLong(batch -> batch.get(count).asLong()).sum()).as(count)
                    .isEqualTo(run.get(count).asLong());
        }
        Instant started = Instant.parse(text(run, "started_at"));
        Instant finished = Instant.parse(text(run, "finished_at"));
        Instant previous = started;
        for (JsonNode batch : batches) {
            Instant committed = Instant.parse(text(batch, "committed_at"));
            assertThat(committed).isAfterOrEqualTo(previous).isBeforeOrEqualTo(finished);
            previous = committed;
        }
        assertThat(jdbc.sql("SELECT batch_count FROM sync_runs WHERE id = ?").param(UUID.fromString(runId))
                .query(Integer.class).single()).isEqualTo(3);
    }

    @Test
    void aFailedRunsDetailShowsItsErrorScrubbed() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8103, "scrubbed.hubspot.com");
        portal.put("deals", 1, RECENT, Map.of("dealname", "Hidden"));
        String id = HubSpotConnections.connect(api, HUBSPOT, portal, "Scrubbed");
        HUBSPOT.forbid("deals");

        Syncs.request(api, id, Map.of("objects", List.of("deals")));
        SyncStatus.awaitIdle(api, id);
        JsonNode failed = items(list(api, "status=failed")).get(0);
        JsonNode run = api.get("/api/v1/sync-runs/" + text(failed, "id")).json();

        assertThat(text(run, "status")).isEqualTo("failed");
        assertThat(failed.has("error")).isFalse();
        // HubSpot's message ends in a long URL: stored and shown only as SafeText left it.
        assertThat(text(run, "error")).contains("403", "MISSING_SCOPES", "[redacted]")
                .doesNotContain("developers.hubspot.com/scopes");
        assertThat(run.get("batches")).isEmpty();
        assertThat(run.get("batch_count").asInt()).isZero();
        assertThat(api.get("/api/v1/sync-runs/" + text(failed, "id")).text())
                .doesNotContainPattern("na1-[0-9a-f]{8}-").doesNotContainPattern("CN[A-Za-z0-9_-]{100}");
    }

    @Test
    void aLongRunsDetailShowsItsLastHundredBatchesAndEveryBatchCanBePagedThrough() {
        Api api = newWorkspace();
        String id = HubSpotConnections.connect(api, HUBSPOT, HUBSPOT.portal(8104, "long.hubspot.com"), "Long");
        UUID runId = SyncRunRows.withBatches(jdbc, id, 250);
        String path = "/api/v1/sync-runs/" + runId;

        JsonNode run = api.get(path).json();
        assertThat(run.get("batch_count").asInt()).isEqualTo(250);
        assertThat(run.get("fetched").asLong()).isEqualTo(250L * 251 / 2);
        assertThat(text(run, "status")).isEqualTo("succeeded");
        List<JsonNode> last = StreamSupport.stream(run.get("batches").spliterator(), false).toList();
        assertThat(last).extracting(batch -> batch.get("sequence").asInt())
                .isEqualTo(IntStream.rangeClosed(151, 250).boxed().toList());
        assertThat(last).allMatch(batch -> batch.get("fetched").asInt() == batch.get("sequence").asInt());
        assertThat(last.get(0).fieldNames()).toIterable()
                .containsExactly("sequence", "fetched", "ingested", "skipped", "failed", "committed_at");

        JsonNode first = batches(api, runId, "");
        assertThat(first.get("page").asInt()).isZero();
        assertThat(first.get("size").asInt()).isEqualTo(20);
        assertThat(first.get("total").asLong()).isEqualTo(250);
        assertThat(sequences(first)).isEqualTo(IntStream.rangeClosed(1, 20).boxed().toList());
        JsonNode lastPage = batches(api, runId, "page=1&size=200");
        assertThat(sequences(lastPage)).isEqualTo(IntStream.rangeClosed(201, 250).boxed().toList());
        assertThat(lastPage.get("total").asLong()).isEqualTo(250);
        assertThat(items(lastPage)).allMatch(batch -> batch.get("fetched").asInt() == batch.get("sequence").asInt());
        List<Integer> walked = new ArrayList<>();
        for (int page = 0; page * 30 < 250; page++) {
            walked.addAll(sequences(batches(api, runId, "size=30&page=" + page)));
        }
        assertThat(walked).isEqualTo(IntStream.rangeClosed(1, 250).boxed().toList());
        JsonNode beyond = batches(api, runId, "page=9&size=30");
        assertThat(beyond.get("items")).isEmpty();
        assertThat(beyond.get("total").asLong()).isEqualTo(250);

        // Another workspace's run and an unknown one are not found, as by the detail.
        Api other = newWorkspace();
        Api.Response foreign = other.get(path + "/batches");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().get("error").asText()).isEqualTo("not_found");
        assertThat(foreign.text()).doesNotContain("\"sequence\"");
        assertThat(other.get(path).status()).isEqualTo(404);
        Api.Response unknown = api.get("/api/v1/sync-runs/" + UUID.randomUUID() + "/batches");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("not_found");
        assertThat(anonymous().get(path + "/batches").status()).isEqualTo(401);
    }

    @Test
    void badBatchPagesAreRefusedNamingTheField() {
        Api api = newWorkspace();
        String id = HubSpotConnections.connect(api, HUBSPOT, HUBSPOT.portal(8105, "pages.hubspot.com"), "Pages");
        UUID runId = SyncRunRows.withBatches(jdbc, id, 3);
        String path = "/api/v1/sync-runs/" + runId + "/batches?";
        assertInvalid(api, path, "size=0", "size");
        assertInvalid(api, path, "size=201", "size");
        assertInvalid(api, path, "size=ten", "size");
        assertInvalid(api, path, "page=-1", "page");
        assertInvalid(api, path, "page=first", "page");
        assertThat(api.get("/api/v1/sync-runs/not-an-id/batches").status()).isEqualTo(422);
        assertThat(sequences(batches(api, runId, "size=200"))).containsExactly(1, 2, 3);
    }

    private static JsonNode batches(Api api, UUID runId, String query) {
        Api.Response response = api.get("/api/v1/sync-runs/" + runId + "/batches" + (query.isEmpty() ? "" : "?" + query));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static List<Integer> sequences(JsonNode page) {
        return items(page).stream().map(batch -> batch.get("sequence").asInt()).toList();
    }

    private void assertFilter(Api api, List<JsonNode> all, String query, Predicate<JsonNode> expected) {
        List<String> wanted = all.stream().filter(expected).map(run -> text(run, "id")).toList();
        JsonNode filtered = list(api, "size=200&" + query);
        assertThat(wanted).as(query).isNotEmpty().hasSizeLessThan(all.size());
        assertThat(items(filtered)).as(query).extracting(run -> text(run, "id")).isEqualTo(wanted);
        assertThat(filtered.get("total").asLong()).as(query).isEqualTo(wanted.size());
    }

    private void assertInvalid(Api api, String query, String field) {
        assertInvalid(api, "/api/v1/sync-runs?", query, field);
    }

    private void assertInvalid(Api api, String path, String query, String field) {
        Api.Response refused = api.get(path + query);
        assertThat(refused.status()).as(query).isEqualTo(422);
        assertThat(refused.json().get("error").asText()).isEqualTo("validation_failed");
        assertThat(refused.json().get("details").get(0).get("field").asText()).isEqualTo(field);
    }

    private static JsonNode list(Api api, String query) {
        Api.Response response = api.get("/api/v1/sync-runs" + (query.isEmpty() ? "" : "?" + query));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static List<JsonNode> items(JsonNode page) {
        return StreamSupport.stream(page.get("items").spliterator(), false).toList();
    }

    private static String text(JsonNode node, String field) {
        return node.get(field).asText();
    }
}
