package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.tributary.support.Api;
import io.tributary.support.Records;
import io.tributary.support.RunningApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Routes are read from disk, and a route file edited while the app runs takes effect without a
 * restart; a broken edit is reported and the file's previous version keeps running until it is fixed.
 */
@ExtendWith(OutputCaptureExtension.class)
class RouteReloadIT {

    private static final String KEY = "trb_reload_test_0123456789";
    private static final String ADMIN = "reload-test-operator-token-5521";
    private static final String PROBE_FILE = "reload-probe.camel.yaml";
    private static final String PROBE = """
            - route:
                id: reload-probe
                from:
                  uri: direct:reload-probe
                  steps:
                    - setBody:
                        constant: "%s"
            """;
    private static final String STEP = """
            - route:
                id: reload-probe
                from:
                  uri: direct:reload-probe
                  steps:
                    - %s
            """;

    @TempDir
    Path dataDir;
    @TempDir
    Path routes;
    /** When the latest reload seen by awaitReload happened. */
    /** The latest reload seen of each file: a wait for the next one must not take it again. */
    private final Map<String, String> lastSeen = new HashMap<>();

    @Test
    void anEditedRouteFileIsReloadedWhileTheOtherRoutesKeepRunning() throws Exception {
        Path probe = routes.resolve(PROBE_FILE);
        try (RunningApp app = start(probe)) {
            ProducerTemplate producer = app.bean(ProducerTemplate.class);
            assertThat(producer.requestBody("direct:reload-probe", "", String.class)).isEqualTo("first");

            Files.writeString(probe, PROBE.formatted("second"));

            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            String answer = "first";
            while (!answer.equals("second") && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
                answer = producer.requestBody("direct:reload-probe", "", String.class);
            }
            assertThat(answer).isEqualTo("second");

            Api.Response ingested = app.api(KEY).post("/api/v1/ingest/batch", Records.batch("stripe", "customer", 3));
            assertThat(ingested.json().get("inserted").asLong()).as("ingest-records still runs").isEqualTo(3);
        }
    }

    @Test
    void aBrokenRouteFileIsReportedAndItsPreviousVersionKeepsRunningUntilFixed(CapturedOutput output) throws Exception {
        Path probe = routes.resolve(PROBE_FILE);
        try (RunningApp app = start(probe)) {
            Api api = app.api(ADMIN);
            ProducerTemplate producer = app.bean(ProducerTemplate.class);
            JsonNode listed = file(api.get("/admin/v1/routes").json(), PROBE_FILE);
            assertThat(listed.get("routes").get(0).get("id").asText()).isEqualTo("reload-probe");
            assertThat(listed.get("routes").get(0).get("status").asText()).isEqualTo("started");
            assertThat(listed.get("last_reload").isNull()).isTrue();
            assertThat(file(api.get("/admin/v1/routes").json(), "ingest-records.camel.yaml").get("routes").get(0)
                    .get("id").asText()).isEqualTo("ingest-records");
            assertThat(app.api(null).get("/admin/v1/routes").status()).as("admin token required").isEqualTo(401);
            assertThat(app.api(KEY).get("/admin/v1/routes").status()).as("a workspace's key is not enough")
                    .isEqualTo(401);
            int logLength = output.getAll().length();

            String[][] broken = {
                    {"- route: [id: reload-probe\n  from: {", PROBE_FILE + ", line 1"},
                    {STEP.formatted("setBodyy:\n            constant: x"), "setBodyy"},
                    {STEP.formatted("to:\n            uri: nosuchcomponent:somewhere"), "nosuchcomponent"},
                    {STEP.formatted("bean:\n            ref: noSuchBean"), "noSuchBean"},
            };
            for (String[] edit : broken) {
                Files.writeString(probe, edit[0]);
                JsonNode failed = awaitReload(api, PROBE_FILE, reload -> !reload.get("ok").asBoolean());
                String error = failed.get("last_reload").get("error").asText();
                assertThat(error).as("the reason").contains(edit[1]);
                assertThat(failed.get("routes").get(0).get("status").asText()).as(edit[1]).isEqualTo("started");
                assertThat(producer.requestBody("direct:reload-probe", "", String.class))
                        .as("the previous version runs on after " + edit[1]).isEqualTo("first");
                String log = output.getAll().substring(logLength);
                assertThat(log).as(edit[1]).contains("ERROR").contains("Route file " + PROBE_FILE + " not reloaded")
                        .contains(error);
                assertThat(log.lines().filter(line -> line.startsWith("\tat ")))
                        .as("no stack trace in the log").isEmpty();
                logLength = output.getAll().length();
                Files.writeString(probe, PROBE.formatted("first"));
                awaitReload(api, PROBE_FILE, reload -> reload.get("ok").asBoolean());
            }

            // A new file that is broken from the start: listed with its error, nothing of it runs.
            Files.writeString(routes.resolve("reload-new.camel.yaml"),
                    STEP.formatted("bean:\n            ref: noSuchBean").replace("reload-probe", "reload-new"));
            JsonNode added = awaitReload(api, "reload-new.camel.yaml", reload -> !reload.get("ok").asBoolean());
            assertThat(added.get("routes")).isEmpty();
            assertThat(added.get("last_reload").get("error").asText()).contains("noSuchBean");

            Api.Response ingested = app.api(KEY).post("/api/v1/ingest/batch", Records.batch("stripe", "customer", 3));
            assertThat(ingested.json().get("inserted").asLong()).as("ingest-records still runs").isEqualTo(3);

            Files.writeString(probe, PROBE.formatted("fixed"));
            JsonNode fixed = awaitReload(api, PROBE_FILE, reload -> reload.get("ok").asBoolean());
            assertThat(fixed.get("last_reload").get("error").isNull()).isTrue();
            assertThat(producer.requestBody("direct:reload-probe", "", String.class)).isEqualTo("fixed");
        }
    }

    /** The app on a copy of routes/ plus the probe file, answering "first". */
    private RunningApp start(Path probe) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Files.writeString(probe, PROBE.formatted("first"));
        return RunningApp.start("--tributary.data-dir=" + dataDir,
                "--camel.main.routes-include-pattern=file:" + routes + "/*.camel.yaml",
                "--camel.main.routes-reload-directory=" + routes, "--tributary.api-key=" + KEY,
                "--tributary.admin-token=" + ADMIN);
    }

    /** The file's entry once a reload newer than the last one seen matches. */
    private JsonNode awaitReload(Api api, String name, Predicate<JsonNode> matches) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode entry = null;
        while (Instant.now().isBefore(deadline)) {
            entry = find(api.get("/admin/v1/routes").json(), name);
            JsonNode reload = entry == null ? NullNode.getInstance() : entry.get("last_reload");
            if (!reload.isNull() && !reload.get("at").asText().equals(lastSeen.get(name)) && matches.test(reload)) {
                lastSeen.put(name, reload.get("at").asText());
                return entry;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no matching reload of " + name + ": " + entry);
    }

    /** The file's entry in GET /admin/v1/routes, or null. */
    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode item : list.get("items")) {
            if (item.get("file").asText().equals(name)) {
                return item;
            }
        }
        return null;
    }

    private static JsonNode file(JsonNode list, String name) {
        JsonNode item = find(list, name);
        if (item == null) {
            throw new AssertionError(name + " not listed: " + list);
        }
        return item;
    }
}
