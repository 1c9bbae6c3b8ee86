package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.HeldRequests;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import io.tributary.support.PrometheusScrape;
import io.tributary.support.RunningApp;
import io.tributary.support.SalesforceConnections;
import io.tributary.support.SalesforceDouble;
import io.tributary.support.SyncStatus;
import io.tributary.support.Syncs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Nothing hangs for ever: an app with a tiny stall timeout (4 s) and a single sync thread. A sync
 * blocked in a call far longer than that (HubSpot's deadline is a minute here) is ended by the
 * watchdog, its thread freed, its job resumed; a call that times out on every attempt (Salesforce:
 * two attempts of 1 s, within the stall timeout) ends its run failed with an error naming the
 * provider and the deadline. Either way the lane takes new syncs.
 */
@ExtendWith(OutputCaptureExtension.class)
class SyncWatchdogIT {

    private static final String KEY = "watchdog-test-api-key-0001";
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(4);
    /** What ending a stalled run may take besides the timeout itself: a heartbeat, a tick, a busy machine. */
    private static final Duration MARGIN = Duration.ofSeconds(8);
    private static final Instant RECENT = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    static Path dataDir;

    private static HubSpotDouble hubSpot;
    private static SalesforceDouble salesforce;
    private static RunningApp app;

    @BeforeAll
    static void start() {
        hubSpot = HubSpotDouble.start();
        salesforce = SalesforceDouble.start();
        List<String> args = new ArrayList<>(hubSpot.appArguments());
        args.addAll(List.of(
                "--tributary.data-dir=" + dataDir,
                "--tributary.api-key=" + KEY,
                "--tributary.sync.stall-timeout=" + STALL_TIMEOUT.toSeconds() + "s",
                // One thread: a resume can only run once the stalled run's thread was freed.
                "--tributary.sync.worker-threads=1",
                "--tributary.sync.worker-poll-interval=100",
                "--tributary.hubspot.request-timeout=60s",
                "--tributary.salesforce.client-id=" + SalesforceDouble.CLIENT_ID,
                "--tributary.salesforce.client-secret=" + SalesforceDouble.CLIENT_SECRET,
                "--tributary.salesforce.production-login-url=" + salesforce.baseUrl(),
                "--tributary.salesforce.api-version=" + SalesforceDouble.API_VERSION,
                "--tributary.salesforce.request-timeout=1s",
                "--tributary.salesforce.max-attempts=2",
                "--tributary.salesforce.retry-backoff=50ms",
                "--camel.main.routes-reload-enabled=false"));
        app = RunningApp.start(args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        // Released first, so the doubles' held threads end with them.
        hubSpot.releaseHeld();
        salesforce.releaseHeld();
        if (app != null) {
            app.close();
        }
        hubSpot.close();
        salesforce.close();
    }

    @Test
    void aSyncBlockedInACallIsEndedByTheWatchdogAndResumedAndTheLaneTakesNewSyncs(CapturedOutput output)
            throws Exception {
        Api api = app.api(KEY);
        HubSpotDouble.Portal portal = hubSpot.portal(8201, "stalled.hubspot.com");
        portal.generate("companies", 1_000, 1, RECENT, Duration.ofSeconds(1));
        String id = HubSpotConnections.connect(api, hubSpot, portal, "Stalled");
        double stalledBefore = stalled(api, "hubspot");
        // The third search page is accepted and never answered (its hold outlasts the test).
        HeldRequests.Hold silent = hubSpot.hold(portal, "/crm/v3/objects/companies/search", 2);

        String runId = Syncs.request(api, id, Map.of("objects", List.of("companies"), "backfill", "30d")).get(0);
        silent.awaitArrival(Duration.ofSeconds(60));

        JsonNode run = SyncStatus.awaitRun(api, id, "manual", "failed");
        assertThat(run.get("id").asText()).isEqualTo(runId);
        assertThat(run.get("error").asText()).startsWith("stalled: no progress for 4s");
        // Ended within the stall timeout plus a small margin of the last progress (the page before the silent one).
        assertThat(run.get("duration_ms").asLong()).isLessThan(STALL_TIMEOUT.plus(MARGIN).toMillis());
        // The one sync thread was interrupted out of its call: the resume ran on it, from the committed cursor.
        JsonNode resumed = SyncStatus.awaitRun(api, id, "resume", "succeeded");
        assertThat(resumed.get("fetched").asLong()).isLessThan(1_000);
        assertThat(count(id)).isEqualTo(1_000);
        assertThat(rewritten(id)).isZero();

        // The lane is free: a new sync is accepted, not sync_in_progress.
        Api.Response again = api.post("/api/v1/integrations/" + id + "/sync", Map.of("objects", List.of("companies")));
        assertThat(again.status()).as(again.toString()).isEqualTo(202);
        SyncStatus.awaitIdle(api, id);

        assertThat(stalled(api, "hubspot") - stalledBefore).isEqualTo(1.0);
        assertThat(api.get("/api/v1/sync-runs/" + runId).json().get("error").asText()).startsWith("stalled:");
        assertThat(output.getAll().lines().filter(line -> line.contains("WARN") && line.contains(runId)
                && line.contains("made no progress for 4s")).count()).isEqualTo(1);
    }

    @Test
    void aCallThatTimesOutOnEveryAttemptFailsItsRunNamingTheProviderAndTheDeadline() throws Exception {
        Api api = app.api(KEY);
        SalesforceDouble.Org org = salesforce.org("00D000000000201AAA", false);
        org.generate("Account", 300, RECENT, Duration.ofSeconds(1));
        String id = SalesforceConnections.connect(api, salesforce, org, "environment=production");
        String path = "/services/data/v" + SalesforceDouble.API_VERSION + "/queryAll";
        HeldRequests.Hold first = salesforce.holdNext(org, path);
        HeldRequests.Hold second = salesforce.holdNext(org, path);

        // One sync thread: the accounts lane, queued first, runs first and meets both holds.
        Syncs.request(api, id, Map.of("backfill", "all"));
        JsonNode run = SyncStatus.awaitRun(api, id, "manual", "failed");

        assertThat(first.hasArrived()).isTrue();
        assertThat(second.hasArrived()).isTrue();
        assertThat(run.get("object_type").asText()).isEqualTo("accounts");
        assertThat(run.get("error").asText())
                .isEqualTo("Salesforce queryAll got no answer within 1s (gave up after 2 attempts)");
        assertThat(run.get("duration_ms").asLong()).isLessThan(Duration.ofSeconds(2).plus(MARGIN).toMillis());
        assertThat(stalled(api, "salesforce")).isZero();

        // The lane is free, and the next sync (the org answers again) stores every account once.
        Syncs.request(api, id, Map.of("backfill", "all"));
        JsonNode status = SyncStatus.awaitIdle(api, id);
        assertThat(status.get("objects").get("accounts").get("status").asText()).isEqualTo("succeeded");
        assertThat(count(id)).isEqualTo(300);
    }

    private static double stalled(Api api, String provider) {
        return PrometheusScrape.of(api.as(null)).value("tributary_sync_stalled_total", "provider", provider);
    }

    private static long count(String integrationId) {
        return jdbc().sql("SELECT count(DISTINCT object_id) FROM source_records WHERE integration_id = ?::uuid")
                .param(integrationId).query(Long.class).single();
    }

    private static long rewritten(String integrationId) {
        return jdbc().sql("SELECT count(*) FROM source_records WHERE integration_id = ?::uuid AND version > 1")
                .param(integrationId).query(Long.class).single();
    }

    private static JdbcClient jdbc() {
        return app.bean(JdbcClient.class);
    }
}
