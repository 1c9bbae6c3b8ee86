package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.support.Api;
import io.tributary.support.ChildApp;
import io.tributary.support.ConsoleClient;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import io.tributary.support.StripeEvents;
import io.tributary.support.TestSchedules;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two app nodes (separate JVMs) on one PostgreSQL — the test's own, as an external database would
 * be, so whichever node runs a sync can be killed: a scheduled sync fires once per cron slot across
 * the cluster, webhooks delivered to either node (some to both at once) are stored and processed
 * once, and a sync whose node is killed is finished by the other with nothing lost or doubled.
 */
class TwoNodesIT {

    private static final String KEY = "two-nodes-api-key-0001";
    private static final String SECRET = "whsec_two_nodes_secret_000001";
    private static final int COMPANIES = 10_000;
    private static final int EVENTS = 200;
    private static final Instant FIRST = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private static final Duration STEP = Duration.ofMillis(250);
    private static final String EVERY_THREE_SECONDS = "0/3 * * * * ?";
    /** Once a year: takes a portal's schedule out of the way. */
    private static final String RARELY = "0 0 0 1 1 ?";

    @Test
    void twoNodesShareSchedulesWebhooksAndSyncs(@TempDir Path dir) throws Exception {
        try (HubSpotDouble hubSpot = HubSpotDouble.start();
             EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg"))
                     .setCleanDataDirectory(true).setServerConfig("max_connections", "200").start()) {
            HubSpotDouble.Portal small = hubSpot.portal(9201, "scheduled.hubspot.com");
            small.generate("companies", 30, 1, FIRST, STEP);
            HubSpotDouble.Portal big = hubSpot.portal(9202, "big.hubspot.com");
            big.generate("companies", COMPANIES, 1, FIRST, STEP);
            JdbcClient jdbc = JdbcClient.create(postgres.getPostgresDatabase());
            // Both nodes need the same master key: either may decrypt what the other stored.
            Map<String, String> environment = ChildApp.newMasterKey();
            List<String> arguments = new ArrayList<>(hubSpot.appArguments());
            arguments.addAll(List.of(
                    "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                    "--spring.datasource.username=postgres",
                    "--tributary.api-key=" + KEY,
                    "--tributary.hubspot.page-size=100",
                    // Paced, so the big sync is still going when its node is killed.
                    "--tributary.hubspot.searches-per-second=10",
                    "--tributary.sync.worker-poll-interval=200",
                    "--tributary.sync.stale-after=5s",
                    "--tributary.sync.schedule-reconcile-interval=1000",
                    "--tributary.stripe.worker-poll-interval=100",
                    "--camel.main.routes-reload-enabled=false",
                    "--tributary.console.secure-cookie=false"));
            String[] args = arguments.toArray(String[]::new);
            CompletableFuture<ChildApp> startingB = CompletableFuture.supplyAsync(() -> start(environment, args));
            try (ChildApp a = start(environment, args); ChildApp b = startingB.join()) {
                awaitTrue("both nodes check in to the Quartz cluster",
                        () -> count(jdbc, "SELECT count(*) FROM qrtz_scheduler_state") == 2);
                aScheduledSyncRunsOncePerFire(jdbc, hubSpot, small, a, b);
                webhooksToEitherNodeAreProcessedOnce(jdbc, a, b);
                aConsoleSessionOfOneNodeWorksOnTheOther(a, b);
                aSyncWhoseNodeIsKilledIsFinishedByTheOther(jdbc, hubSpot, big, a, b);
            }
        }
    }

    /** Console sessions live in the shared database: a load balancer may send each request to any node. */
    private static void aConsoleSessionOfOneNodeWorksOnTheOther(ChildApp a, ChildApp b) {
        ConsoleClient onA = new ConsoleClient(a.port());
        assertThat(onA.signIn(KEY).status()).isEqualTo(302);
        ConsoleClient onB = onA.on(b.port());
        Api.Response page = onB.get("/console/integrations");
        assertThat(page.status()).as("signed in on a, seen on b").isEqualTo(200);

        // The token of a page node a served is good on node b; signing out there ends the session on a.
        Api.Response out = onB.post("/console/logout", Map.of("_csrf", onA.csrf("/console/integrations")));
        assertThat(out.status()).isEqualTo(302);
        assertThat(onA.get("/console/integrations").status()).isEqualTo(302);
    }

    /**
     * "Ran once": every fire of the integration's cron is handled by exactly one node — it queues
     * one sync, or skips because the previous one still runs — and the syncs never overlap.
     */
    private static void aScheduledSyncRunsOncePerFire(JdbcClient jdbc, HubSpotDouble hubSpot,
                                                      HubSpotDouble.Portal portal, ChildApp a, ChildApp b)
            throws Exception {
        String integrationId = HubSpotConnections.connect(a.api(KEY), hubSpot, portal, "Scheduled");
        UUID integration = UUID.fromString(integrationId);
        // Both nodes hold the schedule's route, so the trigger may fire on either.
        for (ChildApp node : List.of(a, b)) {
            awaitTrue("the schedule route on both nodes",
                    () -> log(node).contains("Scheduled hubspot sync of integration " + integrationId));
        }
        TestSchedules.setCron(a.api(KEY), integrationId, EVERY_THREE_SECONDS);
        awaitTrue("four scheduled syncs", () -> count(jdbc, """
                SELECT count(*) FROM sync_jobs
                WHERE integration_id = ? AND trigger = 'scheduled' AND status = 'finished'""", integration) >= 4);
        TestSchedules.setCron(a.api(KEY), integrationId, RARELY);

        Pattern fire = Pattern.compile("Scheduled HubSpot sync of integration " + integrationId
                + " for (\\S+) (queued|skipped)");
        List<Instant> handled = new ArrayList<>();
        List<Instant> queued = new ArrayList<>();
        List<Instant> jobs = new ArrayList<>();
        awaitTrue("the nodes' logs and the queue agree", () -> {
            handled.clear();
            queued.clear();
            for (ChildApp node : List.of(a, b)) {
                Matcher matcher = fire.matcher(log(node));
                while (matcher.find()) {
                    handled.add(Instant.parse(matcher.group(1)));
                    if (matcher.group(2).equals("queued")) {
                        queued.add(Instant.parse(matcher.group(1)));
                    }
                }
            }
            jobs.clear();
            jobs.addAll(jdbc.sql("""
                            SELECT scheduled_for FROM sync_jobs WHERE integration_id = ? AND trigger = 'scheduled'
                            AND status = 'finished' ORDER BY scheduled_for""")
                    .param(integration).query(Timestamp.class).list().stream().map(Timestamp::toInstant).toList());
            return Set.copyOf(queued).equals(Set.copyOf(jobs)) && count(jdbc,
                    "SELECT count(*) FROM sync_jobs WHERE integration_id = ? AND status <> 'finished'", integration) == 0;
        });
        assertThat(handled).as("each fire handled by one node, once").doesNotHaveDuplicates();
        assertThat(jobs).as("one sync per fire").hasSizeGreaterThanOrEqualTo(4).doesNotHaveDuplicates()
                .hasSameSizeAs(queued);
        // Real cron slots, each a distinct fire of the every-3-seconds trigger.
        assertThat(jobs).allSatisfy(at -> assertThat(at.getEpochSecond() % 3 == 0 && at.getNano() == 0).isTrue());

        List<Map<String, Object>> spans = jdbc.sql("""
                        SELECT j.scheduled_for, min(r.started_at) AS started, max(r.finished_at) AS finished,
                               count(*) AS runs, count(*) FILTER (WHERE r.status = 'succeeded') AS succeeded
                        FROM sync_jobs j JOIN sync_runs r ON r.job_id = j.id
                        WHERE j.integration_id = ? AND j.trigger = 'scheduled'
                        GROUP BY j.id, j.scheduled_for ORDER BY j.scheduled_for""")
                .param(integration).query().listOfRows();
        for (int i = 0; i < spans.size(); i++) {
            assertThat(spans.get(i).get("runs")).isEqualTo(3L);
            assertThat(spans.get(i).get("succeeded")).isEqualTo(3L);
            if (i > 0) {
                assertThat((Timestamp) spans.get(i).get("started")).as("no two scheduled syncs overlap")
                        .isAfterOrEqualTo((Timestamp) spans.get(i - 1).get("finished"));
            }
        }
    }

    /** 200 events alternating between the nodes, every tenth also to the other node at the same time. */
    private static void webhooksToEitherNodeAreProcessedOnce(JdbcClient jdbc, ChildApp a, ChildApp b)
            throws Exception {
        String integrationId = a.api(KEY).post("/api/v1/integrations", Map.of("provider", "stripe", "name", "Shared",
                "config", Map.of("signing_secret", SECRET))).json().get("id").asText();
        UUID integration = UUID.fromString(integrationId);
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<Future<Api.Response>> deliveries = new ArrayList<>();
        try {
            for (int i = 0; i < EVENTS; i++) {
                String body = StripeEvents.event("customer.created",
                        StripeEvents.object("customer").put("id", "cus_two_nodes_" + i), 1_732_000_000L + i).toString();
                ChildApp node = i % 2 == 0 ? a : b;
                deliveries.add(senders.submit(() -> deliver(node, integrationId, body)));
                if (i % 10 == 0) {
                    ChildApp other = node == a ? b : a;
                    deliveries.add(senders.submit(() -> deliver(other, integrationId, body)));
                }
            }
            List<String> answers = new ArrayList<>();
            for (Future<Api.Response> delivery : deliveries) {
                Api.Response response = delivery.get();
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
                answers.add(response.json().get("status").asText());
            }
            assertThat(answers).filteredOn("received"::equals).hasSize(EVENTS);
            assertThat(answers).filteredOn("already_received"::equals).hasSize(EVENTS / 10);
        } finally {
            senders.shutdownNow();
        }

        awaitTrue("every event processed", () -> count(jdbc,
                "SELECT count(*) FROM webhook_events WHERE integration_id = ? AND status = 'processed'",
                integration) == EVENTS);
        assertThat(count(jdbc, "SELECT count(*) FROM webhook_events WHERE integration_id = ?", integration))
                .isEqualTo(EVENTS);
        // One processing attempt each: no event was taken by both nodes' workers.
        assertThat(count(jdbc, "SELECT count(*) FROM webhook_events WHERE integration_id = ? AND attempts <> 1",
                integration)).isZero();
        assertThat(count(jdbc, """
                SELECT count(*) FROM webhook_event_attempts t JOIN webhook_events e ON e.id = t.event_id
                WHERE e.integration_id = ?""", integration)).isEqualTo(EVENTS);
        assertThat(count(jdbc, """
                SELECT count(DISTINCT object_id) FROM source_records
                WHERE integration_id = ? AND system = 'stripe' AND object_type = 'customer' AND version = 1""",
                integration)).isEqualTo(EVENTS);
        assertThat(count(jdbc, "SELECT count(*) FROM source_records WHERE integration_id = ?", integration))
                .isEqualTo(EVENTS);
    }

    /** kill -9 of whichever node runs the sync: the other interrupts it after stale-after, resumes it once, finishes. */
    private static void aSyncWhoseNodeIsKilledIsFinishedByTheOther(JdbcClient jdbc, HubSpotDouble hubSpot,
                                                                   HubSpotDouble.Portal portal, ChildApp a, ChildApp b)
            throws Exception {
        String integrationId = HubSpotConnections.connect(a.api(KEY), hubSpot, portal, "Big");
        UUID integration = UUID.fromString(integrationId);
        // No scheduled sync of this portal gets in the way of the resume.
        TestSchedules.setCron(a.api(KEY), integrationId, RARELY);
        assertThat(b.api(KEY).post("/api/v1/integrations/" + integrationId + "/sync",
                Map.of("objects", List.of("companies"), "backfill", "30d")).status()).isEqualTo(202);
        awaitTrue("the sync got going", () -> count(jdbc,
                "SELECT count(*) FROM source_records WHERE integration_id = ?", integration) >= 1_000);

        String claimedBy = jdbc.sql("SELECT claimed_by FROM sync_jobs WHERE integration_id = ? AND status = 'running'")
                .param(integration).query(String.class).single();
        long pid = Long.parseLong(claimedBy.split("/")[1]);
        assertThat(pid).isIn(a.pid(), b.pid());
        ChildApp victim = pid == a.pid() ? a : b;
        ChildApp survivor = victim == a ? b : a;
        victim.kill();

        awaitTrue("the survivor resumed and finished the sync", () -> count(jdbc, """
                SELECT count(*) FROM sync_runs WHERE integration_id = ? AND trigger = 'resume' AND status = 'succeeded'""",
                integration) == 1);
        Map<String, Object> interrupted = jdbc.sql("""
                        SELECT j.id, r.status, r.error FROM sync_jobs j JOIN sync_runs r ON r.job_id = j.id
                        WHERE j.integration_id = ? AND j.trigger = 'manual'""")
                .param(integration).query().singleRow();
        assertThat(interrupted.get("status")).isEqualTo("interrupted");
        assertThat((String) interrupted.get("error")).contains("stopped");
        Map<String, Object> resume = jdbc.sql("SELECT resumes, claimed_by FROM sync_jobs WHERE integration_id = ? AND trigger = 'resume'")
                .param(integration).query().singleRow();
        assertThat(resume.get("resumes")).isEqualTo(interrupted.get("id"));
        assertThat((String) resume.get("claimed_by")).contains("/" + survivor.pid() + "/");

        assertThat(count(jdbc, "SELECT count(*) FROM source_records WHERE integration_id = ?", integration))
                .isEqualTo(COMPANIES);
        assertThat(count(jdbc, "SELECT count(DISTINCT object_id) FROM source_records WHERE integration_id = ?",
                integration)).isEqualTo(COMPANIES);
        assertThat(count(jdbc, "SELECT count(*) FROM sync_runs WHERE integration_id = ? AND status IN ('queued', 'running')",
                integration)).isZero();
        assertThat(survivor.api(KEY).get("/api/v1/integrations/" + integrationId + "/sync/status").json()
                .at("/objects/companies/status").asText()).isEqualTo("succeeded");
    }

    private static ChildApp start(Map<String, String> environment, String[] args) {
        try {
            return ChildApp.start(List.of("-Xmx384m"), environment, args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Api.Response deliver(ChildApp node, String integrationId, String body) {
        return StripeEvents.deliver(node.api(null), integrationId, body, SECRET);
    }

    private static String log(ChildApp node) {
        try {
            return node.logText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(JdbcClient jdbc, String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
