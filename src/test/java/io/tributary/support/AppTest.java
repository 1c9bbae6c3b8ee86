package io.tributary.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of application tests: the whole app on a random port, on its embedded PostgreSQL in a
 * fresh folder, shared by every test class that extends this (one Spring context per JVM). Tests
 * isolate themselves by creating their own workspace. Metrics are exported as in production (a
 * test context otherwise keeps them in memory only), so /actuator/prometheus can be scraped.
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
public abstract class AppTest {

    public static final String ADMIN_TOKEN = "test-admin-token-7f3c";
    /** The Hawtio console's sign-in (tributary.hawtio.*). */
    public static final String CONSOLE_USER = "admin";
    public static final String CONSOLE_PASSWORD = "test-console-password-5d1e";
    private static final Path DATA_DIR = createDataDir();
    /**
     * Chosen before the app starts (not RANDOM_PORT) because OAuth redirect URIs and the console URL
     * are configuration that must name it: a browser test follows them for real.
     */
    private static final int PORT = ChildApp.freePort();
    /** The HubSpot every application test talks to: one per JVM, like the app context. */
    protected static final HubSpotDouble HUBSPOT = HubSpotDouble.start();
    /** The Salesforce every application test talks to (login hosts and instances alike). */
    protected static final SalesforceDouble SALESFORCE = SalesforceDouble.start();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void appProperties(DynamicPropertyRegistry registry) {
        registry.add("tributary.data-dir", DATA_DIR::toString);
        registry.add("tributary.admin-token", () -> ADMIN_TOKEN);
        registry.add("tributary.hawtio.password", () -> CONSOLE_PASSWORD);
        registry.add("server.port", () -> PORT);
        registry.add("tributary.console-url", () -> "http://localhost:" + PORT + "/console/integrations");
        // Tests talk plain http; the Java client (unlike a browser on localhost) drops Secure cookies there.
        registry.add("tributary.console.secure-cookie", () -> false);
        registry.add("tributary.hubspot.redirect-uri", () -> "http://localhost:" + PORT + "/app/integrations/hubspot/callback");
        registry.add("tributary.hubspot.client-id", () -> HubSpotDouble.CLIENT_ID);
        registry.add("tributary.hubspot.client-secret", () -> HubSpotDouble.CLIENT_SECRET);
        registry.add("tributary.hubspot.auth-base-url", HUBSPOT::baseUrl);
        registry.add("tributary.hubspot.api-base-url", HUBSPOT::baseUrl);
        // Tests page 200 at a time and pace under a budget the double enforces in the rate-limit test.
        registry.add("tributary.hubspot.page-size", () -> HubSpotTestLimits.PAGE_SIZE);
        registry.add("tributary.hubspot.requests-per-ten-seconds", () -> HubSpotTestLimits.REQUESTS_PER_TEN_SECONDS);
        registry.add("tributary.hubspot.searches-per-second", () -> HubSpotTestLimits.SEARCHES_PER_SECOND);
        registry.add("tributary.hubspot.retry-backoff", () -> "50ms");
        // A provider that does not answer is given up on after this, then retried: short, so tests of it are quick.
        registry.add("tributary.hubspot.request-timeout", () -> "5s");
        registry.add("tributary.salesforce.request-timeout", () -> "5s");
        registry.add("tributary.salesforce.retry-backoff", () -> "50ms");
        registry.add("tributary.sync.worker-poll-interval", () -> 100);
        registry.add("tributary.salesforce.client-id", () -> SalesforceDouble.CLIENT_ID);
        registry.add("tributary.salesforce.client-secret", () -> SalesforceDouble.CLIENT_SECRET);
        registry.add("tributary.salesforce.production-login-url", SALESFORCE::baseUrl);
        // The same double under another name, so a test can tell which login host a connect used.
        registry.add("tributary.salesforce.sandbox-login-url", () -> SALESFORCE.baseUrl().replace("localhost", "127.0.0.1"));
        registry.add("tributary.salesforce.api-version", () -> SalesforceDouble.API_VERSION);
        TestSchedules.PROPERTIES.forEach((property, value) -> registry.add(property, () -> value));
    }

    private static Path createDataDir() {
        try {
            Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(Path.of("target"), "test-data-").toAbsolutePath();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client acting for a new workspace of its own. */
    protected Api newWorkspace() {
        Api.Response created = admin().post("/admin/v1/workspaces", Map.of("name", "test-" + System.nanoTime()));
        if (created.status() != 201) {
            throw new AssertionError("Could not create a workspace: " + created);
        }
        return new Api(port, created.json().get("api_key").asText());
    }

    protected Api admin() {
        return new Api(port, ADMIN_TOKEN);
    }

    protected Api anonymous() {
        return new Api(port, null);
    }
}
