package io.tributary.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.ConsoleClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The console's security over plain HTTP: its cookie, CSRF on every form, sign-out, tenancy, bad input. */
class ConsoleSecurityIT extends AppTest {

    @Autowired
    JdbcClient jdbc;

    private static final String SECRET = "whsec_console_security_secret_01";

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteAndChangesAtSignIn() {
        Api api = newWorkspace();
        ConsoleClient console = new ConsoleClient(port);
        String before = sessionCookie(console.get("/console/login"));
        assertThat(before).contains("HttpOnly").contains("SameSite=Lax").doesNotContain("jsessionid");

        Api.Response signedIn = console.signIn(api.apiKey());
        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.header("Location")).endsWith("/console/integrations");
        String after = sessionCookie(signedIn);
        assertThat(after).contains("HttpOnly").contains("SameSite=Lax");
        // A session id planted before sign-in (fixation) is not the one that is signed in.
        assertThat(value(after)).isNotEqualTo(value(before));
    }

    @Test
    void theFormTokenOfBeforeSignInIsWorthNothingAfter() {
        Api api = newWorkspace();
        ConsoleClient console = new ConsoleClient(port);
        String beforeSignIn = console.csrf("/console/login");
        console.post("/console/login", Map.of("_csrf", beforeSignIn, "api_key", api.apiKey()));

        assertThat(console.csrf("/console/integrations")).isNotEqualTo(beforeSignIn);
        Api.Response planted = console.post("/console/integrations/stripe", Map.of("_csrf", beforeSignIn,
                "name", "Planted", "signing_secret", SECRET));
        assertThat(planted.status()).isEqualTo(403);
        assertThat(api.get("/api/v1/integrations").json().get("items")).isEmpty();
    }

    @Test
    void aLinkCannotPutItsOwnWordsOnTheIntegrationsPage() {
        ConsoleClient console = new ConsoleClient(port);
        console.signIn(newWorkspace().apiKey());

        String page = console.get("/console/integrations?connected=Your+account+is+locked.+Call+555-0100"
                + "&error=x&provider=Call+555-0100").text();
        assertThat(page).doesNotContain("Your account is locked").doesNotContain("555-0100");
        assertThat(console.get("/console/integrations?connected=hubspot").text()).contains("HubSpot connected.");
    }

    @Test
    void theCookieIsSecureUnlessConfiguredOtherwise() throws IOException {
        Map<String, Object> config;
        try (InputStream in = Files.newInputStream(Path.of("config/application.yaml"))) {
            config = new Yaml().load(in);
        }
        assertThat(at(config, "tributary", "console", "secure-cookie")).isEqualTo(true);
        assertThat(at(config, "server", "servlet", "session", "cookie", "secure"))
                .isEqualTo("${tributary.console.secure-cookie}");
        assertThat(at(config, "server", "servlet", "session", "cookie", "http-only")).isEqualTo(true);
        assertThat(at(config, "server", "servlet", "session", "tracking-modes")).isEqualTo("cookie");
    }

    @Test
    void pagesNeedASignInAndAWrongKeyIsRefused() {
        ConsoleClient console = new ConsoleClient(port);
        for (String page : List.of("/console", "/console/integrations", "/console/sync-runs", "/console/sources",
                "/console/webhook-events")) {
            Api.Response answer = console.get(page);
            assertThat(answer.status()).as(page).isEqualTo(302);
            // A first visit is not told that a session ended.
            assertThat(answer.header("Location")).as(page).endsWith("/console/login");
        }
        Api.Response wrong = console.post("/console/login", Map.of("_csrf", console.csrf("/console/login"),
                "api_key", "trb_not_a_key"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.text()).contains("That API key is not valid").doesNotContain("trb_not_a_key");
        assertThat(console.get("/console/integrations").status()).isEqualTo(302);
    }

    @Test
    void everyFormIsRefusedWithoutTheSessionsCsrfTokenAndChangesNothing() {
        Api api = newWorkspace();
        String stripeId = createStripe(api);
        ConsoleClient console = new ConsoleClient(port);
        assertThat(console.signIn(api.apiKey()).status()).isEqualTo(302);
        Map<String, Map<String, String>> forms = Map.of(
                "/console/login", Map.of("api_key", api.apiKey()),
                "/console/logout", Map.of(),
                "/console/integrations/hubspot/connect", Map.of(),
                "/console/integrations/salesforce/connect", Map.of("environment", "production"),
                "/console/integrations/stripe", Map.of("name", "Forged", "signing_secret", SECRET),
                "/console/integrations/" + stripeId + "/sync", Map.of(),
                "/console/integrations/" + stripeId + "/disconnect", Map.of("purge", "true", "confirm", "PURGE STRIPE"),
                "/console/sources", Map.of("key", "forged_source", "display_name", "Forged"),
                "/console/sources/forged_source/delete", Map.of(),
                "/console/webhook-events/1/replay", Map.of());
        forms.forEach((action, fields) -> {
            Api.Response missing = console.post(action, fields);
            assertThat(missing.status()).as(action).isEqualTo(403);
            assertThat(missing.text()).as(action).contains("This form has expired");
            Map<String, String> wrongToken = new HashMap<>(fields);
            wrongToken.put("_csrf", "not-the-token");
            assertThat(console.post(action, wrongToken).status()).as(action).isEqualTo(403);
        });
        // Still signed in (the forged sign-out did nothing), and nothing was created or disconnected.
        assertThat(console.get("/console/integrations").status()).isEqualTo(200);
        JsonNode integrations = api.get("/api/v1/integrations").json().get("items");
        assertThat(integrations).hasSize(1);
        assertThat(integrations.get(0).get("status").asText()).isEqualTo("connected");
        assertThat(api.get("/api/v1/sources/forged_source").status()).isEqualTo(404);
    }

    @Test
    void aFormAnotherSitesPageSentIsRefusedEvenWithTheSessionsTokenAndChangesNothing() {
        Api api = newWorkspace();
        ConsoleClient console = new ConsoleClient(port);
        assertThat(console.signIn(api.apiKey()).status()).isEqualTo(302);

        for (String otherSite : List.of("cross-site", "same-site")) {
            ConsoleClient forged = console.fetchSite(otherSite);
            Api.Response register = forged.submit("/console/sources", "/console/sources",
                    Map.of("key", "cross_site_source", "display_name", "Forged"));
            assertThat(register.status()).as(otherSite).isEqualTo(403);
            assertThat(register.text()).as(otherSite).contains("This form came from another site")
                    .contains("Nothing was changed");
            assertThat(register.header("Content-Security-Policy")).as(otherSite).contains("frame-ancestors 'none'");
            assertThat(forged.submit("/console/sync-runs", "/console/logout", Map.of()).status()).as(otherSite)
                    .isEqualTo(403);
        }
        assertThat(api.get("/api/v1/sources/cross_site_source").status()).isEqualTo(404);
        assertThat(console.get("/console/sources").status()).as("the forged sign-out did nothing").isEqualTo(200);

        // Without a session to redirect, a forged sign-in (login CSRF) is refused the same way.
        ConsoleClient stranger = new ConsoleClient(port).fetchSite("cross-site");
        Api.Response signIn = stranger.post("/console/login", Map.of("_csrf", stranger.csrf("/console/login"),
                "api_key", api.apiKey()));
        assertThat(signIn.status()).isEqualTo(403);
        assertThat(signIn.text()).contains("This form came from another site");
        assertThat(stranger.get("/console/integrations").status()).isEqualTo(302);
    }

    @Test
    void aFormTheConsolesOwnPageSentOrATypedRequestOrOneWithoutTheHeaderWorks() {
        Api api = newWorkspace();
        ConsoleClient console = new ConsoleClient(port);
        assertThat(console.fetchSite("none").signIn(api.apiKey()).status()).isEqualTo(302);

        Map<String, ConsoleClient> senders = Map.of("same_origin", console.fetchSite("same-origin"),
                "typed", console.fetchSite("none"), "no_header", console);
        senders.forEach((key, sender) -> {
            Api.Response register = sender.submit("/console/sources", "/console/sources",
                    Map.of("key", key, "display_name", "Mine"));
            assertThat(register.status()).as(key).isEqualTo(302);
            assertThat(api.get("/api/v1/sources/" + key).status()).as(key).isEqualTo(200);
        });
    }

    @Test
    void signingOutEndsTheSession() {
        Api api = newWorkspace();
        ConsoleClient console = new ConsoleClient(port);
        console.signIn(api.apiKey());
        assertThat(console.get("/console/sync-runs").status()).isEqualTo(200);

        Api.Response out = console.submit("/console/sync-runs", "/console/logout", Map.of());
        assertThat(out.status()).isEqualTo(302);
        assertThat(console.follow(out).text()).contains("You are signed out.");
        Api.Response after = console.get("/console/sync-runs");
        assertThat(after.status()).isEqualTo(302);
        assertThat(after.header("Location")).endsWith("/console/login");
    }

    @Test
    void aFormOrPageFromASessionThatEndedLeadsToTheSignInPageAndChangesNothing() {
        Api api = newWorkspace();
        ConsoleClient console = new ConsoleClient(port);
        console.signIn(api.apiKey());
        String token = console.csrf("/console/integrations");
        // The session ends on the server (its timeout, or a sign-out in another tab) while this browser
        // keeps its cookie and the token of the page it still shows.
        assertThat(jdbc.sql("DELETE FROM spring_session WHERE session_id = ?").param(console.sessionId()).update())
                .isEqualTo(1);

        Api.Response form = console.post("/console/integrations/stripe", Map.of("_csrf", token, "name", "Late",
                "signing_secret", SECRET));
        assertThat(form.status()).isEqualTo(302);
        assertThat(form.header("Location")).endsWith("/console/login?session_ended");
        Api.Response signIn = console.follow(form);
        assertThat(signIn.status()).isEqualTo(200);
        assertThat(signIn.text()).contains("Your session ended, sign in again.").contains("id=\"sign-in\"");
        assertThat(api.get("/api/v1/integrations").json().get("items")).isEmpty();

        // Signed in again, a form with a token that is not this session's is still refused, not redirected.
        console.signIn(api.apiKey());
        Api.Response stale = console.post("/console/integrations/stripe", Map.of("_csrf", token, "name", "Late",
                "signing_secret", SECRET));
        assertThat(stale.status()).isEqualTo(403);
        assertThat(stale.text()).contains("This form has expired");
        assertThat(api.get("/api/v1/integrations").json().get("items")).isEmpty();

        // A page asked for with an ended session leads to the sign-in page the same way.
        jdbc.sql("DELETE FROM spring_session WHERE session_id = ?").param(console.sessionId()).update();
        Api.Response page = console.get("/console/sync-runs");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).endsWith("/console/login?session_ended");
    }

    @Test
    void aSessionSeesAndTouchesOnlyItsOwnWorkspace() {
        Api owner = newWorkspace();
        String ownersStripe = createStripe(owner);
        Api other = newWorkspace();
        ConsoleClient console = new ConsoleClient(port);
        console.signIn(other.apiKey());

        assertThat(console.get("/console/integrations").text()).doesNotContain(ownersStripe)
                .contains("No integrations yet");
        Api.Response sync = console.submit("/console/integrations", "/console/integrations/" + ownersStripe + "/sync",
                Map.of());
        Api.Response disconnect = console.submit("/console/integrations",
                "/console/integrations/" + ownersStripe + "/disconnect", Map.of("purge", "true", "confirm", "PURGE STRIPE"));
        for (Api.Response refused : List.of(sync, disconnect)) {
            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.text()).contains("Not found").contains("Sign out");
        }
        assertThat(console.get("/console/sync-runs/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(console.get("/console/sync-runs/not-a-uuid").status()).isEqualTo(404);
        assertThat(owner.get("/api/v1/integrations/" + ownersStripe).json().get("status").asText())
                .isEqualTo("connected");
    }

    @Test
    void badInputOnAFormSaysWhatIsWrongAndChangesNothing() {
        Api api = newWorkspace();
        ConsoleClient console = new ConsoleClient(port);
        console.signIn(api.apiKey());

        Api.Response noSecret = console.submit("/console/integrations", "/console/integrations/stripe",
                Map.of("name", "Live", "signing_secret", ""));
        assertThat(console.follow(noSecret).text())
                .contains("Signing secret is required and must be the endpoint&#39;s signing secret");
        assertThat(api.get("/api/v1/integrations").json().get("items")).isEmpty();

        String stripeId = createStripe(api);
        Api.Response wrongConfirmation = console.submit("/console/integrations",
                "/console/integrations/" + stripeId + "/disconnect", Map.of("purge", "true", "confirm", "purge stripe"));
        assertThat(console.follow(wrongConfirmation).text()).contains("Confirm must be &quot;PURGE STRIPE&quot;");
        assertThat(api.get("/api/v1/integrations/" + stripeId).json().get("status").asText()).isEqualTo("connected");

        Api.Response badKey = console.submit("/console/sources", "/console/sources",
                Map.of("key", "Bad Key", "display_name", "<b>bold</b>"));
        assertThat(console.follow(badKey).text()).contains("Key must be 2-63 characters");
        Api.Response builtIn = console.submit("/console/sources", "/console/sources/hubspot/delete", Map.of());
        assertThat(console.follow(builtIn).text()).contains("&#39;hubspot&#39; is a built-in system and cannot be removed");

        // What a user typed is shown escaped, never as markup.
        console.submit("/console/sources", "/console/sources", Map.of("key", "xss_check", "display_name", "<b>bold</b>"));
        assertThat(console.get("/console/sources").text()).contains("&lt;b&gt;bold&lt;/b&gt;").doesNotContain("<b>bold");
    }

    @Test
    void theApiKeyNeverAppearsInAUrlOrAPage() {
        Api api = newWorkspace();
        ConsoleClient console = new ConsoleClient(port);
        assertThat(console.get("/console/login?api_key=" + api.apiKey()).text()).doesNotContain(api.apiKey());
        assertThat(console.get("/console/integrations").status()).as("a key in a URL signs nobody in").isEqualTo(302);

        Api.Response signedIn = console.signIn(api.apiKey());
        assertThat(signedIn.header("Location")).doesNotContain(api.apiKey());
        assertThat(String.join(";", signedIn.raw().headers().allValues("Set-Cookie"))).doesNotContain(api.apiKey());
        for (String page : List.of("/console/integrations", "/console/sync-runs", "/console/sources",
                "/console/webhook-events")) {
            Api.Response shown = console.get(page);
            assertThat(shown.status()).as(page).isEqualTo(200);
            assertThat(shown.header("Content-Security-Policy")).as(page).contains("frame-ancestors 'none'");
            assertThat(shown.header("Cache-Control")).as(page).isEqualTo("no-store");
            assertThat(shown.text()).as(page).doesNotContain(api.apiKey()).doesNotContain(api.apiKey().substring(4));
        }
    }

    private static String createStripe(Api api) {
        Api.Response created = api.post("/api/v1/integrations", Map.of("provider", "stripe", "name", "Live",
                "config", Map.of("signing_secret", SECRET)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static String sessionCookie(Api.Response response) {
        return response.raw().headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith("TRIBUTARY_SESSION=")).findFirst()
                .orElseThrow(() -> new AssertionError("No session cookie set: " + response.raw().headers()));
    }

    private static String value(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> config, String... path) {
        Object node = config;
        for (String key : path) {
            node = ((Map<String, Object>) node).get(key);
        }
        return node;
    }
}
