package io.tributary.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import io.tributary.support.SalesforceDouble;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hawtio and Jolokia sit behind the console's credentials; the scrape and the API keep their own rules. */
class HawtioConsoleIT extends AppTest {

    private static final String CONTEXT_MBEAN = "org.apache.camel:context=tributary,type=context,name=\"tributary\"";
    private static final String INGEST_ROUTE_MBEAN =
            "org.apache.camel:context=tributary,type=routes,name=\"ingest-records\"";

    @Test
    void hawtioAsksForTheConsoleCredentialsAndRefusesWrongOnes() {
        for (String path : new String[] {"/actuator/hawtio", "/actuator/hawtio/", "/actuator/hawtio/index.html",
                "/actuator/hawtio/jolokia/version", "/actuator/jolokia", "/actuator/jolokia/version",
                "/actuator/%68awtio/index.html", "/actuator/./jolokia/version"}) {
            Api.Response anonymous = get(path, null);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.header("WWW-Authenticate")).as(path).startsWith("Basic realm=");
            assertThat(anonymous.json().get("error").asText()).isEqualTo("unauthenticated");

            assertThat(get(path, basic(CONSOLE_USER, "wrong-password")).status()).as(path).isEqualTo(401);
            assertThat(get(path, basic("someone", CONSOLE_PASSWORD)).status()).as(path).isEqualTo(401);
            assertThat(get(path, "Bearer " + CONSOLE_PASSWORD).status()).as(path).isEqualTo(401);
        }
    }

    @Test
    void theRightCredentialsOpenHawtio() {
        Api.Response page = get("/actuator/hawtio/index.html", console());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.text()).contains("<title>Hawtio</title>").contains("<base href=\"/actuator/hawtio/\"");
    }

    @Test
    void jolokiaReadsCamelMBeansButRefusesWritesAndOperations() {
        JsonNode state = jolokia(Map.of("type", "read", "mbean", CONTEXT_MBEAN, "attribute", "State"));
        assertThat(state.get("status").asInt()).as(state.toString()).isEqualTo(200);
        assertThat(state.get("value").asText()).isEqualTo("Started");

        JsonNode total = jolokia(Map.of("type", "read", "mbean", INGEST_ROUTE_MBEAN, "attribute", "ExchangesTotal"));
        assertThat(total.get("status").asInt()).as(total.toString()).isEqualTo(200);
        assertThat(total.get("value").asLong()).isNotNegative();

        JsonNode stop = jolokia(Map.of("type", "exec", "mbean", INGEST_ROUTE_MBEAN, "operation", "stop()"));
        assertThat(stop.get("status").asInt()).as(stop.toString()).isEqualTo(403);
        JsonNode write = jolokia(Map.of("type", "write", "mbean", INGEST_ROUTE_MBEAN, "attribute", "Tracing",
                "value", true));
        assertThat(write.get("status").asInt()).as(write.toString()).isEqualTo(403);

        // Hawtio asks its own security MBean what it may show; without that answer the console does not load.
        JsonNode canInvoke = jolokia(Map.of("type", "exec",
                "mbean", "hawtio:type=security,area=jmx,name=HawtioDummyJMXSecurity",
                "operation", "canInvoke(java.lang.String)", "arguments", List.of(INGEST_ROUTE_MBEAN)));
        assertThat(canInvoke.get("status").asInt()).as(canInvoke.toString()).isEqualTo(200);

        JsonNode route = jolokia(Map.of("type", "read", "mbean", INGEST_ROUTE_MBEAN, "attribute", "State"));
        assertThat(route.get("value").asText()).isEqualTo("Started");
        JsonNode tracing = jolokia(Map.of("type", "read", "mbean", INGEST_ROUTE_MBEAN, "attribute", "Tracing"));
        assertThat(tracing.get("value").asBoolean()).isFalse();
    }

    @Test
    void readingEveryCamelMBeanShowsNoSecret() {
        Api api = newWorkspace();
        String signingSecret = "whsec_console_test_secret_0077";
        assertThat(api.post("/api/v1/integrations", Map.of("provider", "stripe", "name", "Console",
                "config", Map.of("signing_secret", signingSecret))).status()).isEqualTo(201);
        HubSpotConnections.connect(api, HUBSPOT, HUBSPOT.portal(8851, "console.hubspot.com"), "Console");

        JsonNode everything = jolokia(Map.of("type", "read", "mbean", "org.apache.camel:*"));

        assertThat(everything.get("status").asInt()).as(everything.toString()).isEqualTo(200);
        assertThat(everything.get("value").toString()).contains("ingest-records")
                .doesNotContain(signingSecret, "whsec_", HubSpotDouble.CLIENT_SECRET, SalesforceDouble.CLIENT_SECRET,
                        CONSOLE_PASSWORD, ADMIN_TOKEN, "na1-");
    }

    @Test
    void anotherSitesPageCannotUseTheConsoleCredentials() {
        String read = "/actuator/jolokia/read/" + CONTEXT_MBEAN.replace("\"", "%22") + "/State";
        Api.Response crossSite = get(read, console(),
                Map.of("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"));
        assertThat(crossSite.status()).as(crossSite.toString()).isEqualTo(403);

        Api.Response sameOrigin = get(read, console(), Map.of("Sec-Fetch-Site", "same-origin"));
        assertThat(sameOrigin.status()).as(sameOrigin.toString()).isEqualTo(200);

        // A client that is no browser sends neither header; an Origin alone never earns CORS access.
        Api.Response withOrigin = get(read, console(), Map.of("Origin", "https://evil.example"));
        assertThat(withOrigin.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void theJvmsCommandLineAndSystemPropertiesStayHidden() {
        // What a secret given on the command line (--tributary.hubspot.client-secret=…) would show up in.
        System.setProperty("tributary.console.test.secret", "command-line-secret-4411");
        try {
            JsonNode uptime = jolokia(Map.of("type", "read", "mbean", "java.lang:type=Runtime", "attribute", "Uptime"));
            assertThat(uptime.get("status").asInt()).as(uptime.toString()).isEqualTo(200);
            assertThat(uptime.get("value").asLong()).isPositive();

            for (String attribute : List.of("SystemProperties", "InputArguments")) {
                JsonNode answer = jolokia(Map.of("type", "read", "mbean", "java.lang:type=Runtime",
                        "attribute", attribute));
                assertThat(answer.get("status").asInt()).as(answer.toString()).isEqualTo(403);
                assertThat(answer.toString()).doesNotContain("command-line-secret-4411");
            }
            // Every attribute at once fails too: 403 on a hidden one, or 500 on BootClassPath (unsupported on
            // Java 9+), whichever Jolokia reads first.
            JsonNode whole = jolokia(Map.of("type", "read", "mbean", "java.lang:type=Runtime"));
            assertThat(whole.get("status").asInt()).as(whole.toString()).isIn(403, 500);
            assertThat(whole.toString()).doesNotContain("command-line-secret-4411");
        } finally {
            System.clearProperty("tributary.console.test.secret");
        }
    }

    @Test
    void theScrapeAndHealthStayOpenAndTheApiStillNeedsItsKey() {
        assertThat(anonymous().get("/actuator/prometheus").status()).isEqualTo(200);
        assertThat(anonymous().get("/actuator/health").status()).isEqualTo(200);

        Api.Response noKey = anonymous().get("/api/v1/sources");
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(get("/api/v1/sources", console()).status()).isEqualTo(401);
        assertThat(newWorkspace().get("/api/v1/sources").status()).isEqualTo(200);
    }

    private JsonNode jolokia(Map<String, Object> request) {
        Api client = anonymous();
        Api.Response response = client.send(client.request("/actuator/hawtio/jolokia/")
                .header("Authorization", console()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(request))));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private Api.Response get(String path, String authorization) {
        return get(path, authorization, Map.of());
    }

    private Api.Response get(String path, String authorization, Map<String, String> headers) {
        Api client = anonymous();
        HttpRequest.Builder request = client.request(path).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        return client.send(request);
    }

    private static String console() {
        return basic(CONSOLE_USER, CONSOLE_PASSWORD);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String write(Object body) {
        try {
            return Api.JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
