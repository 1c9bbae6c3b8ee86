package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.support.Api;
import io.tributary.support.Records;
import io.tributary.support.RunningApp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The zero-install default and its alternative, each started as a user would start the app. */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedDefaultIT {

    private static final Pattern GENERATED_KEY = Pattern.compile("shown only this once: (trb_[A-Za-z0-9_-]+)");

    @Test
    void firstStartCreatesDefaultWorkspaceAndDataSurvivesARestart(@TempDir Path dataDir, CapturedOutput output) {
        String key;
        try (RunningApp app = RunningApp.start("--tributary.data-dir=" + dataDir, "--tributary.api-key=")) {
            Matcher logged = GENERATED_KEY.matcher(output.getOut());
            assertThat(logged.find()).as("the generated key is logged once").isTrue();
            key = logged.group(1);
            Api api = app.api(key);
            assertThat(api.post("/api/v1/sources", Map.of("key", "erp", "display_name", "ERP")).status())
                    .isEqualTo(201);
            assertThat(api.post("/api/v1/ingest/batch", Records.batch("erp", "order", 5)).status()).isEqualTo(200);
            Api.Response disabled = app.api("anything").post("/admin/v1/workspaces", Map.of("name", "x"));
            assertThat(disabled.status()).isEqualTo(404);
            assertThat(disabled.json().get("error").asText()).isEqualTo("admin_api_disabled");
        }
        assertThat(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION"))).isTrue();
        int logLength = output.getOut().length();

        try (RunningApp app = RunningApp.start("--tributary.data-dir=" + dataDir, "--tributary.api-key=")) {
            assertThat(output.getOut().substring(logLength)).doesNotContain("shown only this once");
            Api api = app.api(key);
            assertThat(api.get("/api/v1/records/erp/order/id-3").json().at("/payload/n").asInt()).isEqualTo(3);
            assertThat(api.get("/api/v1/sources/erp").status()).isEqualTo(200);
        }
        assertThat(output.getOut()).containsOnlyOnce(key);
    }

    @Test
    void aConfiguredKeyIsNeverLogged(@TempDir Path dataDir, CapturedOutput output) {
        String key = "trb_configured_key_for_test_0123456789";
        try (RunningApp app = RunningApp.start("--tributary.data-dir=" + dataDir, "--tributary.api-key=" + key)) {
            assertThat(app.api(key).get("/api/v1/sources").status()).isEqualTo(200);
            assertThat(app.api("trb_other").get("/api/v1/sources").status()).isEqualTo(401);
        }
        assertThat(output.getOut()).doesNotContain(key).contains("Created workspace 'default'");
    }

    @Test
    void aConfiguredDatasourceIsUsedInsteadOfTheEmbeddedDatabase(@TempDir Path dataDir, @TempDir Path externalDir)
            throws Exception {
        try (EmbeddedPostgres external = EmbeddedPostgres.builder().setDataDirectory(externalDir)
                .setCleanDataDirectory(true).start()) {
            String url = external.getJdbcUrl("postgres", "postgres");
            try (RunningApp app = RunningApp.start("--tributary.data-dir=" + dataDir,
                    "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                    "--tributary.master-key=" + java.util.Base64.getEncoder().encodeToString(new byte[32]),
                    "--tributary.api-key=trb_external_0123456789")) {
                Api api = app.api("trb_external_0123456789");
                assertThat(api.post("/api/v1/ingest/batch", Records.batch("stripe", "customer", 2)).status())
                        .isEqualTo(200);
            }
            try (var connection = external.getPostgresDatabase().getConnection();
                 var rows = connection.createStatement().executeQuery(
                         "SELECT count(*) FROM source_records WHERE system = 'stripe'")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(2);
            }
        }
        assertThat(Files.exists(dataDir.resolve("postgres"))).as("no embedded database was started").isFalse();
    }
}
