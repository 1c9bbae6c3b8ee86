package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.support.Api;
import io.tributary.support.Records;
import io.tributary.support.RunningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes are read from disk, and a route file edited while the app runs takes effect without a restart. */
class RouteReloadIT {

    private static final String KEY = "trb_reload_test_0123456789";
    private static final String PROBE = """
            - route:
                id: reload-probe
                from:
                  uri: direct:reload-probe
                  steps:
                    - setBody:
                        constant: "%s"
            """;

    @Test
    void anEditedRouteFileIsReloadedWhileTheOtherRoutesKeepRunning(@TempDir Path dataDir, @TempDir Path routes)
            throws Exception {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Path probe = routes.resolve("reload-probe.camel.yaml");
        Files.writeString(probe, PROBE.formatted("first"));

        try (RunningApp app = RunningApp.start("--tributary.data-dir=" + dataDir,
                "--camel.main.routes-include-pattern=file:" + routes + "/*.camel.yaml",
                "--camel.main.routes-reload-directory=" + routes, "--tributary.api-key=" + KEY)) {
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
}
