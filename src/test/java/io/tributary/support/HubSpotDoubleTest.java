package io.tributary.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HubSpot double answers as HubSpot does: checked over real HTTP, without Spring. */
class HubSpotDoubleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final String REDIRECT = "https://app.test/callback";

    private static HubSpotDouble hubspot;

    @BeforeAll
    static void start() {
        hubspot = HubSpotDouble.start();
    }

    @AfterAll
    static void stop() {
        hubspot.close();
    }

    @BeforeEach
    void reset() {
        hubspot.reset();
    }

    // --- OAuth ---

    @Test
    void exchangesAOneTimeCodeForTokens() {
        HubSpotDouble.Portal portal = hubspot.portal(101, "acme.example.com");
        String code = hubspot.issueCode(portal);

        Response tokens = token(Map.of("grant_type", "authorization_code", "client_id", HubSpotDouble.CLIENT_ID,
                "client_secret", HubSpotDouble.CLIENT_SECRET, "redirect_uri", REDIRECT, "code", code));
        assertThat(tokens.status()).isEqualTo(200);
        assertThat(tokens.json().get("token_type").asText()).isEqualTo("bearer");
        assertThat(tokens.json().get("expires_in").asInt()).isEqualTo(1800);
        assertThat(tokens.json().get("hub_id").asLong()).isEqualTo(101);
        assertThat(tokens.json().get("access_token").asText()).hasSizeGreaterThan(100);
        assertThat(tokens.json().get("refresh_token").asText()).startsWith("na1-");
        assertThat(texts(tokens.json().get("scopes"))).contains("oauth", "crm.objects.companies.read");
        assertThat(hubspot.tokenGrants("authorization_code")).isEqualTo(1);

        Response replay = token(Map.of("grant_type", "authorization_code", "client_id", HubSpotDouble.CLIENT_ID,
                "client_secret", HubSpotDouble.CLIENT_SECRET, "redirect_uri", REDIRECT, "code", code));
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.json().get("status").asText()).isEqualTo("BAD_AUTH_CODE");
        assertThat(replay.json().get("error").asText()).isEqualTo("invalid_grant");

        Response wrongSecret = token(Map.of("grant_type", "authorization_code", "client_id", HubSpotDouble.CLIENT_ID,
                "client_secret", "nope", "redirect_uri", REDIRECT, "code", hubspot.issueCode(portal)));
        assertThat(wrongSecret.status()).isEqualTo(400);
        assertThat(wrongSecret.json().get("status").asText()).isEqualTo("BAD_CLIENT_SECRET");
        assertThat(wrongSecret.json().get("error").asText()).isEqualTo("invalid_client");

        Response noRedirect = token(Map.of("grant_type", "authorization_code", "client_id", HubSpotDouble.CLIENT_ID,
                "client_secret", HubSpotDouble.CLIENT_SECRET, "code", hubspot.issueCode(portal)));
        assertThat(noRedirect.json().get("status").asText()).isEqualTo("BAD_REDIRECT_URI");

        Response asJson = send(HttpRequest.newBuilder(uri("/oauth/v1/token")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"authorization_code\"}")));
        assertThat(asJson.status()).isEqualTo(415);

        // The dated endpoint takes the same grants.
        Response dated = send(HttpRequest.newBuilder(uri("/oauth/2026-03/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code",
                        "client_id", HubSpotDouble.CLIENT_ID, "client_secret", HubSpotDouble.CLIENT_SECRET,
                        "redirect_uri", REDIRECT, "code", hubspot.issueCode(portal))))));
        assertThat(dated.status()).isEqualTo(200);
        assertThat(hubspot.tokenGrants("authorization_code")).isEqualTo(2);
    }

    @Test
    void refreshingGivesANewAccessTokenAndKeepsTheRefreshToken() {
        JsonNode first = connect(hubspot.portal(102, "beta.example.com"));
        Response refreshed = refresh(first.get("refresh_token").asText());

        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.json().get("refresh_token").asText()).isEqualTo(first.get("refresh_token").asText());
        assertThat(refreshed.json().get("access_token").asText()).isNotEqualTo(first.get("access_token").asText());
        assertThat(hubspot.tokenGrants("refresh_token")).isEqualTo(1);
        // Both access tokens work until they expire.
        assertThat(search(first.get("access_token").asText(), "companies", "{}").status()).isEqualTo(200);
        assertThat(search(refreshed.json().get("access_token").asText(), "companies", "{}").status()).isEqualTo(200);
    }

    @Test
    void aRevokedOrUnknownRefreshTokenIsRefused() {
        JsonNode tokens = connect(hubspot.portal(103, "gamma.example.com"));
        String refreshToken = tokens.get("refresh_token").asText();

        Response unknown = refresh("na1-made-up");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("status").asText()).isEqualTo("BAD_REFRESH_TOKEN");
        assertThat(unknown.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(unknown.json().get("error_description").asText()).isNotBlank();

        Response deleted = send(HttpRequest.newBuilder(uri("/oauth/v1/refresh-tokens/" + refreshToken)).DELETE());
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(hubspot.refreshTokensRevoked()).containsExactly(refreshToken);
        assertThat(refresh(refreshToken).json().get("status").asText()).isEqualTo("BAD_REFRESH_TOKEN");

        JsonNode other = connect(hubspot.portal(103, "gamma.example.com"));
        hubspot.revokeRefreshTokens();
        Response revoked = refresh(other.get("refresh_token").asText());
        assertThat(revoked.status()).isEqualTo(400);
        assertThat(revoked.json().get("status").asText()).isEqualTo("BAD_REFRESH_TOKEN");
        assertThat(hubspot.tokenGrants("refresh_token")).isZero();
    }

    @Test
    void tokenInfoNamesThePortal() {
        String token = connect(hubspot.portal(104, "delta.example.com")).get("access_token").asText();

        Response info = send(HttpRequest.newBuilder(uri("/oauth/v1/access-tokens/" + token)).GET());
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().get("hub_id").asLong()).isEqualTo(104);
        assertThat(info.json().get("hub_domain").asText()).isEqualTo("delta.example.com");
        assertThat(info.json().get("token").asText()).isEqualTo(token);
        assertThat(info.json().get("token_type").asText()).isEqualTo("access");
        assertThat(info.json().get("app_id").asLong()).isEqualTo(HubSpotDouble.APP_ID);
        assertThat(info.json().get("expires_in").asInt()).isBetween(1790, 1800);
        assertThat(info.json().get("user").asText()).contains("@");
        assertThat(info.json().has("user_id")).isTrue();
        assertThat(texts(info.json().get("scopes"))).contains("oauth");

        assertThat(send(HttpRequest.newBuilder(uri("/oauth/v1/access-tokens/nope")).GET()).status()).isEqualTo(404);
        hubspot.expireAccessTokens();
        assertThat(send(HttpRequest.newBuilder(uri("/oauth/v1/access-tokens/" + token)).GET()).status()).isEqualTo(404);
    }

    @Test
    void theAuthorizePageRedirectsWithACodeOrADenial() {
        HubSpotDouble.Portal portal = hubspot.portal(105, "eps.example.com");
        String authorize = "/oauth/authorize?client_id=" + HubSpotDouble.CLIENT_ID + "&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&scope=oauth&state=s1";

        Response denied = send(HttpRequest.newBuilder(uri(authorize)).GET());
        assertThat(denied.status()).isEqualTo(302);
        assertThat(denied.header("Location")).isEqualTo(REDIRECT + "?error=access_denied&error_description="
                + "The+user+declined&state=s1");

        hubspot.consentAs(portal);
        Response approved = send(HttpRequest.newBuilder(uri(authorize)).GET());
        String location = approved.header("Location");
        assertThat(location).startsWith(REDIRECT + "?code=").endsWith("&state=s1");
        String code = location.substring((REDIRECT + "?code=").length(), location.indexOf("&state="));
        assertThat(token(Map.of("grant_type", "authorization_code", "client_id", HubSpotDouble.CLIENT_ID,
                "client_secret", HubSpotDouble.CLIENT_SECRET, "redirect_uri", REDIRECT, "code", code))
                .json().get("hub_id").asLong()).isEqualTo(105);
    }

    // --- Authentication of CRM requests ---

    @Test
    void expiredMissingAndUnknownTokensGet401() throws InterruptedException {
        HubSpotDouble.Portal portal = hubspot.portal(110, "auth.example.com");
        String token = connect(portal).get("access_token").asText();

        Response missing = send(HttpRequest.newBuilder(uri("/crm/v3/objects/companies/search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
        assertThat(search("not-a-token", "companies", "{}").status()).isEqualTo(401);

        hubspot.expireAccessTokens();
        Response expired = search(token, "companies", "{}");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("status").asText()).isEqualTo("error");
        assertThat(expired.json().get("category").asText()).isEqualTo("EXPIRED_AUTHENTICATION");
        assertThat(expired.json().get("message").asText()).startsWith("The OAuth token used to make this call expired");
        assertThat(expired.json().get("correlationId").asText()).hasSize(36);

        // Tokens also run out by the clock.
        hubspot.setAccessTokenLifetimeSeconds(1);
        JsonNode shortLived = connect(portal);
        assertThat(shortLived.get("expires_in").asInt()).isEqualTo(1);
        Thread.sleep(1_100);
        assertThat(search(shortLived.get("access_token").asText(), "companies", "{}").status()).isEqualTo(401);
    }

    @Test
    void tokensCanExpireMidSync() {
        String token = connect(hubspot.portal(111, "mid.example.com")).get("access_token").asText();
        hubspot.expireAccessTokensAfter(2);

        assertThat(search(token, "companies", "{}").status()).isEqualTo(200);
        assertThat(batchRead(token, "companies", List.of("1")).status()).isEqualTo(207);
        assertThat(search(token, "companies", "{}").json().get("category").asText())
                .isEqualTo("EXPIRED_AUTHENTICATION");
        // Tokens issued afterwards are unaffected.
        String fresh = connect(hubspot.portal(111, "mid.example.com")).get("access_token").asText();
        assertThat(search(fresh, "companies", "{}").status()).isEqualTo(200);
    }

    // --- Search ---

    @Test
    void searchFiltersSortsAndPages() {
        HubSpotDouble.Portal portal = hubspot.portal(120, "search.example.com");
        portal.generate("companies", 25, 1, T0, Duration.ofMinutes(1));
        portal.put("companies", 100, T0.plusSeconds(90), Map.of("name", "Acme", "industry", "Tools"));
        // Replaces generated company 3: new time and properties, original creation time.
        portal.put("companies", 3, T0.plus(Duration.ofHours(1)), Map.of("name", "Three Renamed"));
        String token = connect(portal).get("access_token").asText();
        assertThat(portal.count("companies")).isEqualTo(26);

        // GTE on the modification time, ascending, in pages of 10.
        String gte = "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"hs_lastmodifieddate\",\"operator\":\"GTE\","
                + "\"value\":\"" + T0.plus(Duration.ofMinutes(20)).toEpochMilli() + "\"}]}],"
                + "\"sorts\":[{\"propertyName\":\"hs_lastmodifieddate\",\"direction\":\"ASCENDING\"}],"
                + "\"properties\":[\"name\"],\"limit\":4}";
        JsonNode page = search(token, "companies", gte).json();
        assertThat(page.get("total").asInt()).isEqualTo(6); // 21..25 and 3
        assertThat(ids(page)).containsExactly("21", "22", "23", "24");
        assertThat(page.at("/paging/next/after").asText()).isEqualTo("4");
        JsonNode first = page.get("results").get(0);
        assertThat(first.get("properties").get("name").asText()).isEqualTo("companies 21");
        assertThat(first.get("properties").get("hs_object_id").asText()).isEqualTo("21");
        assertThat(first.get("properties").get("hs_lastmodifieddate").asText()).isEqualTo("2024-01-01T00:20:00.000Z");
        assertThat(first.get("properties").get("createdate").asText()).isEqualTo("2024-01-01T00:20:00.000Z");
        assertThat(first.get("updatedAt").asText()).isEqualTo("2024-01-01T00:20:00.000Z");
        assertThat(first.get("archived").asBoolean()).isFalse();
        JsonNode last = search(token, "companies", gte.replace("\"limit\":4", "\"limit\":4,\"after\":\"4\"")).json();
        assertThat(ids(last)).containsExactly("25", "3");
        assertThat(last.has("paging")).isFalse();
        assertThat(last.get("results").get(1).get("properties").get("name").asText()).isEqualTo("Three Renamed");
        assertThat(last.get("results").get(1).get("createdAt").asText()).isEqualTo("2024-01-01T00:02:00.000Z");

        // ISO-8601 values, BETWEEN, and several groups OR'ed: 2..4 by time, or id 100.
        String or = "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"hs_lastmodifieddate\","
                + "\"operator\":\"BETWEEN\","
                + "\"value\":\"2024-01-01T00:01:00Z\",\"highValue\":\"2024-01-01T00:03:00.000Z\"}]},"
                + "{\"filters\":[{\"propertyName\":\"hs_object_id\",\"operator\":\"EQ\",\"value\":\"100\"}]}],"
                + "\"limit\":10}";
        JsonNode ored = search(token, "companies", or).json();
        assertThat(ids(ored)).containsExactly("2", "4", "100"); // default order: id ascending
        assertThat(ored.get("total").asInt()).isEqualTo(3);

        // Filters of a group are AND'ed; IN and NEQ; other properties compare case-insensitively.
        String and = "{\"filterGroups\":[{\"filters\":["
                + "{\"propertyName\":\"hs_object_id\",\"operator\":\"IN\",\"values\":[\"1\",\"2\",\"100\"]},"
                + "{\"propertyName\":\"hs_object_id\",\"operator\":\"NEQ\",\"value\":\"2\"}]}]}";
        assertThat(ids(search(token, "companies", and).json())).containsExactly("1", "100");
        String byName = "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"name\",\"operator\":\"EQ\","
                + "\"value\":\"acme\"}]}],"
                + "\"properties\":[\"industry\",\"phone\"]}";
        JsonNode acme = search(token, "companies", byName).json();
        assertThat(ids(acme)).containsExactly("100");
        assertThat(acme.get("results").get(0).get("properties").get("industry").asText()).isEqualTo("Tools");
        assertThat(acme.get("results").get(0).get("properties").get("phone").isNull()).isTrue();

        // Descending by time; no properties named: the object's defaults.
        JsonNode newest = search(token, "companies",
                "{\"sorts\":[{\"propertyName\":\"hs_lastmodifieddate\",\"direction\":\"DESCENDING\"}],"
                        + "\"limit\":3}").json();
        assertThat(ids(newest)).containsExactly("3", "25", "24");
        assertThat(newest.get("total").asInt()).isEqualTo(26);
        assertThat(fieldNames(newest.get("results").get(0).get("properties")))
                .containsExactly("createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name");
    }

    @Test
    void contactsUseLastmodifieddateAndDealsTheirOwnDefaults() {
        HubSpotDouble.Portal portal = hubspot.portal(121, "types.example.com");
        portal.generate("contacts", 3, 10, T0, Duration.ZERO);
        portal.generate("deals", 2, 50, T0, Duration.ofSeconds(1));
        String token = connect(portal).get("access_token").asText();

        JsonNode contacts = search(token, "contacts", "{\"filterGroups\":[{\"filters\":[{\"propertyName\":"
                + "\"lastmodifieddate\",\"operator\":\"EQ\",\"value\":\"" + T0.toEpochMilli() + "\"}]}]}").json();
        assertThat(ids(contacts)).containsExactly("10", "11", "12");
        assertThat(fieldNames(contacts.get("results").get(0).get("properties")))
                .containsExactly("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname");
        assertThat(contacts.at("/results/0/properties/email").asText()).isEqualTo("contacts-10@example.com");

        JsonNode deals = search(token, "deals", "{}").json();
        assertThat(deals.at("/results/1/properties/dealname").asText()).isEqualTo("deals 51");
        assertThat(deals.at("/results/1/properties/pipeline").asText()).isEqualTo("default");
        assertThat(deals.at("/results/1/properties/hs_lastmodifieddate").asText())
                .isEqualTo("2024-01-01T00:00:01.000Z");
    }

    @Test
    void searchRefusesWhatHubSpotRefuses() {
        HubSpotDouble.Portal portal = hubspot.portal(122, "limits.example.com");
        String token = connect(portal).get("access_token").asText();

        Response tooMany = search(token, "companies", "{\"limit\":201}");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get("status").asText()).isEqualTo("error");
        assertThat(tooMany.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(tooMany.json().has("correlationId")).isTrue();

        String filter = "{\"propertyName\":\"hs_object_id\",\"operator\":\"GT\",\"value\":\"0\"}";
        String group = "{\"filters\":[" + filter + "]}";
        assertThat(search(token, "companies", "{\"filterGroups\":[" + String.join(",", Collections.nCopies(6, group))
                + "]}").status()).isEqualTo(400);
        assertThat(search(token, "companies", "{\"filterGroups\":[{\"filters\":["
                + String.join(",", Collections.nCopies(HubSpotDoubleQuery.MAX_FILTERS_PER_GROUP + 1, filter))
                + "]}]}").status()).isEqualTo(400);
        assertThat(search(token, "companies", "{\"sorts\":[\"name\",\"createdate\"]}").status()).isEqualTo(400);
        String longBody = "{\"properties\":[\"" + "p".repeat(HubSpotDoubleQuery.MAX_BODY_CHARS) + "\"]}";
        assertThat(search(token, "companies", longBody).status()).isEqualTo(400);
        assertThat(search(token, "companies", "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"name\","
                + "\"operator\":\"SOUNDS_LIKE\",\"value\":\"x\"}]}]}").status()).isEqualTo(400);
        assertThat(search(token, "companies", "{\"filterGroups\":[{\"filters\":[{\"propertyName\":"
                + "\"hs_lastmodifieddate\",\"operator\":\"GT\",\"value\":\"yesterday\"}]}]}").status()).isEqualTo(400);
        Response malformed = search(token, "companies", "{\"limit\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("message").asText()).startsWith("Invalid input JSON");
        assertThat(search(token, "widgets", "{}").json().get("message").asText())
                .isEqualTo("Unable to infer object type from: widgets");
    }

    @Test
    void searchStopsAtTenThousandResults() {
        HubSpotDouble.Portal portal = hubspot.portal(123, "cap.example.com");
        portal.generate("companies", 10_050, 1, T0, Duration.ofSeconds(1));
        String token = connect(portal).get("access_token").asText();

        JsonNode last = search(token, "companies", "{\"limit\":200,\"after\":\"9800\"}").json();
        assertThat(last.get("total").asInt()).isEqualTo(10_050);
        assertThat(last.get("results")).hasSize(200);
        assertThat(last.at("/results/199/id").asText()).isEqualTo("10000");
        // HubSpot still points past the cap; following it is the 400.
        assertThat(last.at("/paging/next/after").asText()).isEqualTo("10000");
        JsonNode straddling = search(token, "companies", "{\"limit\":200,\"after\":9900}").json();
        assertThat(straddling.get("results")).hasSize(100);

        Response beyond = search(token, "companies", "{\"limit\":200,\"after\":\"10000\"}");
        assertThat(beyond.status()).isEqualTo(400);
        assertThat(beyond.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
    }

    @Test
    void aLargePortalIsSearchedCorrectlyAcrossCapContinuations() {
        HubSpotDouble.Portal portal = hubspot.portal(124, "big.example.com");
        portal.generate("companies", 200_000, 1, T0, Duration.ofSeconds(1));
        portal.put("companies", 150_000, T0.plus(Duration.ofDays(30)), Map.of("name", "Moved"));
        String token = connect(portal).get("access_token").asText();

        // The way a sync reads: from a time, ascending, 200 a page; past 10,000 a new query from the
        // last time seen. (Its speed is a benchmark's business: HubSpotSyncBenchmark.)
        long from = T0.plusSeconds(100_000).toEpochMilli();
        long seen = 0;
        for (int query = 0; query < 4; query++) {
            for (int after = 0; after < 10_000; after += 200) {
                JsonNode page = search(token, "companies", "{\"filterGroups\":[{\"filters\":[{\"propertyName\":"
                        + "\"hs_lastmodifieddate\",\"operator\":\"GTE\",\"value\":\"" + from + "\"}]}],"
                        + "\"sorts\":[{\"propertyName\":\"hs_lastmodifieddate\",\"direction\":\"ASCENDING\"}],"
                        + "\"properties\":[\"name\",\"domain\"],\"limit\":200,\"after\":\"" + after + "\"}").json();
                seen += page.get("results").size();
                if (after == 0) {
                    assertThat(page.get("total").asLong()).isEqualTo(100_000 - query * 10_000L);
                }
            }
            from += 10_000_000;
        }
        assertThat(seen).isEqualTo(40_000);
        assertThat(portal.count("companies")).isEqualTo(200_000);
    }

    // --- Injected faults and limits ---

    @Test
    void throttleNextAnswers429WithRetryAfter() {
        String token = connect(hubspot.portal(130, "throttle.example.com")).get("access_token").asText();
        hubspot.throttleNext(2, 3);

        Response read = batchRead(token, "companies", List.of("1"));
        assertThat(read.status()).isEqualTo(429);
        assertThat(read.header("Retry-After")).isEqualTo("3");
        assertThat(read.json().get("status").asText()).isEqualTo("error");
        assertThat(read.json().get("message").asText()).isEqualTo("You have reached your ten_secondly_rolling limit.");
        assertThat(read.json().get("errorType").asText()).isEqualTo("RATE_LIMIT");
        assertThat(read.json().get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(read.json().has("correlationId")).isTrue();
        Response searched = search(token, "companies", "{}");
        assertThat(searched.status()).isEqualTo(429);
        assertThat(searched.json().get("policyName").asText()).isEqualTo("SECONDLY");
        assertThat(searched.json().get("message").asText()).isEqualTo("You have reached your secondly limit.");
        assertThat(search(token, "companies", "{}").status()).isEqualTo(200);
        assertThat(hubspot.throttled()).isEqualTo(2);
    }

    @Test
    void failNextAnswersServerErrors() {
        String token = connect(hubspot.portal(131, "fail.example.com")).get("access_token").asText();
        hubspot.failNext(2, 503);

        Response first = search(token, "companies", "{}");
        assertThat(first.status()).isEqualTo(503);
        assertThat(first.json().get("status").asText()).isEqualTo("error");
        assertThat(first.json().has("correlationId")).isTrue();
        assertThat(batchRead(token, "deals", List.of("1")).status()).isEqualTo(503);
        assertThat(search(token, "companies", "{}").status()).isEqualTo(200);
        // OAuth endpoints are not CRM requests: unaffected.
        hubspot.failNext(1, 500);
        assertThat(refresh(connect(hubspot.portal(131, "fail.example.com")).get("refresh_token").asText()).status())
                .isEqualTo(200);
        assertThatThrownBy(() -> hubspot.failNext(1, 404)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aForbiddenTypeAnswers403MissingScopes() {
        HubSpotDouble.Portal portal = hubspot.portal(132, "scopes.example.com");
        portal.put("companies", 1, T0, Map.of("name", "Visible"));
        hubspot.forbid("contacts");
        JsonNode tokens = connect(portal);
        String token = tokens.get("access_token").asText();

        Response forbidden = search(token, "contacts", "{}");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("category").asText()).isEqualTo("MISSING_SCOPES");
        assertThat(forbidden.json().at("/errors/0/context/requiredGranularScopes/0").asText())
                .isEqualTo("crm.objects.contacts.read");
        assertThat(associations(token, "companies", "contacts", List.of("1")).status()).isEqualTo(403);
        assertThat(search(token, "companies", "{}").status()).isEqualTo(200);
        assertThat(texts(tokens.get("scopes"))).doesNotContain("crm.objects.contacts.read");
    }

    @Test
    void rateLimitHeadersAndEnforcedLimitsArePerPortal() {
        String token = connect(hubspot.portal(133, "rate.example.com")).get("access_token").asText();

        Response read = batchRead(token, "companies", List.of("1"));
        assertThat(read.header("X-HubSpot-RateLimit-Max")).isEqualTo("110");
        assertThat(read.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("109");
        assertThat(read.header("X-HubSpot-RateLimit-Interval-Milliseconds")).isEqualTo("10000");
        // OAuth calls have no daily limit, so no daily headers; searches carry none at all.
        assertThat(read.header("X-HubSpot-RateLimit-Daily")).isNull();
        assertThat(search(token, "companies", "{}").header("X-HubSpot-RateLimit-Remaining")).isNull();
        assertThat(batchRead(token, "companies", List.of("1")).header("X-HubSpot-RateLimit-Remaining"))
                .isEqualTo("108");

        hubspot.reset();
        token = connect(hubspot.portal(133, "rate.example.com")).get("access_token").asText();
        String other = connect(hubspot.portal(134, "other.example.com")).get("access_token").asText();
        hubspot.enforceRateLimits(3, 1);
        for (int i = 0; i < 3; i++) {
            assertThat(batchRead(token, "companies", List.of("1")).status()).isEqualTo(207);
        }
        Response limited = batchRead(token, "companies", List.of("1"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 10);
        assertThat(limited.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("0");
        // Another portal has its own window; searches count apart.
        assertThat(batchRead(other, "companies", List.of("1")).status()).isEqualTo(207);
        assertThat(search(token, "companies", "{}").status()).isEqualTo(200);
        Response secondSearch = search(token, "companies", "{}");
        assertThat(secondSearch.status()).isEqualTo(429);
        assertThat(secondSearch.json().get("policyName").asText()).isEqualTo("SECONDLY");
        assertThat(secondSearch.header("Retry-After")).isEqualTo("1");
        assertThat(hubspot.throttled()).isEqualTo(2);
    }

    // --- Batch reads and pipelines ---

    @Test
    void associationsReadFromEitherSideAndReportIdsWithout() {
        HubSpotDouble.Portal portal = hubspot.portal(140, "assoc.example.com");
        portal.associate("contacts", 5, "companies", 1);
        portal.associate("contacts", 6, "companies", 1);
        portal.associate("deals", 9, "companies", 1);
        String token = connect(portal).get("access_token").asText();

        Response partial = associations(token, "companies", "contacts", List.of("1", "2"));
        assertThat(partial.status()).isEqualTo(207);
        JsonNode body = partial.json();
        assertThat(body.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(body.at("/results/0/from/id").asText()).isEqualTo("1");
        assertThat(body.at("/results/0/to/0/toObjectId").isNumber()).isTrue();
        assertThat(body.at("/results/0/to").findValuesAsText("toObjectId")).containsExactly("5", "6");
        assertThat(body.at("/results/0/to/0/associationTypes/0/category").asText()).isEqualTo("HUBSPOT_DEFINED");
        assertThat(body.at("/results/0/to/0/associationTypes/0/typeId").asInt()).isEqualTo(280);
        assertThat(body.at("/results/0/to/0/associationTypes/0/label").isNull()).isTrue();
        assertThat(body.get("numErrors").asInt()).isEqualTo(1);
        assertThat(body.at("/errors/0/subCategory").asText()).isEqualTo("crm.associations.NO_ASSOCIATIONS_FOUND");
        assertThat(body.at("/errors/0/category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(body.at("/errors/0/message").asText()).isEqualTo("No contact is associated with company 2.");
        assertThat(body.at("/errors/0/context/fromObjectId/0").asText()).isEqualTo("2");
        assertThat(body.has("startedAt")).isTrue();
        assertThat(body.has("completedAt")).isTrue();

        Response reverse = associations(token, "contacts", "companies", List.of("5"));
        assertThat(reverse.status()).isEqualTo(200);
        assertThat(reverse.json().at("/results/0/to/0/toObjectId").asLong()).isEqualTo(1);
        assertThat(reverse.json().at("/results/0/to/0/associationTypes/0/typeId").asInt()).isEqualTo(279);
        assertThat(reverse.json().has("errors")).isFalse();
        assertThat(associations(token, "deals", "companies", List.of("9")).json()
                .at("/results/0/to/0/associationTypes/0/typeId").asInt()).isEqualTo(341);
    }

    @Test
    void batchReadReturnsKnownIdsAndReportsTheRest() {
        HubSpotDouble.Portal portal = hubspot.portal(141, "batch.example.com");
        portal.generate("deals", 5, 1, T0, Duration.ofHours(1));
        portal.put("deals", 77, T0, Map.of("dealname", "Big", "dealstage", "closedwon"));
        String token = connect(portal).get("access_token").asText();

        Response mixed = send(json("/crm/v3/objects/deals/batch/read", token,
                "{\"inputs\":[{\"id\":\"77\"},{\"id\":\"2\"},{\"id\":\"999\"}],\"properties\":[\"dealstage\"]}"));
        assertThat(mixed.status()).isEqualTo(207);
        assertThat(ids(mixed.json())).containsExactly("77", "2");
        assertThat(mixed.json().at("/results/0/properties/dealstage").asText()).isEqualTo("closedwon");
        assertThat(fieldNames(mixed.json().at("/results/1/properties")))
                .containsExactly("createdate", "dealstage", "hs_lastmodifieddate", "hs_object_id");
        assertThat(mixed.json().at("/errors/0/category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(mixed.json().at("/errors/0/context/ids/0").asText()).isEqualTo("999");
        assertThat(mixed.json().at("/errors/0/message").asText()).contains("DEAL");

        Response allKnown = batchRead(token, "deals", List.of("1", "5"));
        assertThat(allKnown.status()).isEqualTo(200);
        assertThat(allKnown.json().get("status").asText()).isEqualTo("COMPLETE");
        assertThat(allKnown.json().has("errors")).isFalse();

        List<String> tooMany = IntStream.rangeClosed(1, 101).mapToObj(Integer::toString).toList();
        assertThat(batchRead(token, "deals", tooMany).status()).isEqualTo(400);
    }

    @Test
    void pipelinesListTheDefaultAndAddedOnes() {
        HubSpotDouble.Portal portal = hubspot.portal(142, "pipes.example.com");
        portal.addPipeline("renewals", "Renewals", 1, List.of(
                new HubSpotDouble.Stage("won", "Won", 1, Map.of("isClosed", "true", "probability", "1.0")),
                new HubSpotDouble.Stage("open", "Open", 0)));
        String token = connect(portal).get("access_token").asText();

        Response pipelines = send(HttpRequest.newBuilder(uri("/crm/v3/pipelines/deals"))
                .header("Authorization", "Bearer " + token).GET());
        assertThat(pipelines.status()).isEqualTo(200);
        JsonNode results = pipelines.json().get("results");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("id").asText()).isEqualTo("default");
        assertThat(results.get(0).get("label").asText()).isEqualTo("Sales Pipeline");
        assertThat(results.get(0).get("stages")).hasSize(7);
        JsonNode renewals = results.get(1);
        assertThat(renewals.get("id").asText()).isEqualTo("renewals");
        assertThat(renewals.get("displayOrder").asInt()).isEqualTo(1);
        assertThat(renewals.get("archived").asBoolean()).isFalse();
        // Stages come in display order.
        assertThat(renewals.get("stages").get(0).get("id").asText()).isEqualTo("open");
        assertThat(renewals.at("/stages/0/metadata/isClosed").asText()).isEqualTo("false");
        JsonNode won = renewals.get("stages").get(1);
        assertThat(won.get("id").asText()).isEqualTo("won");
        assertThat(won.get("label").asText()).isEqualTo("Won");
        assertThat(won.get("displayOrder").asInt()).isEqualTo(1);
        assertThat(won.at("/metadata/isClosed").asText()).isEqualTo("true");
        assertThat(won.at("/metadata/probability").asText()).isEqualTo("1.0");
        assertThat(won.get("archived").asBoolean()).isFalse();
        assertThat(pipelines.header("X-HubSpot-RateLimit-Max")).isEqualTo("110");
    }

    // --- Bookkeeping ---

    @Test
    void countsRequestsByPathAndForgetsEverythingOnReset() {
        HubSpotDouble.Portal portal = hubspot.portal(150, "count.example.com");
        String token = connect(portal).get("access_token").asText();
        search(token, "companies", "{}");
        search(token, "companies", "{}");
        batchRead(token, "contacts", List.of("1"));
        send(HttpRequest.newBuilder(uri("/crm/v3/objects/companies?limit=10")).GET());

        assertThat(hubspot.requests("/crm/v3/objects/companies/search")).isEqualTo(2);
        assertThat(hubspot.requests("/crm/v3/objects/companies")).isEqualTo(3);
        assertThat(hubspot.requests("/crm/")).isEqualTo(4);
        assertThat(hubspot.requests("/oauth/v1/token")).isEqualTo(1);

        hubspot.reset();
        assertThat(hubspot.requests("/")).isZero();
        assertThat(hubspot.tokenGrants("authorization_code")).isZero();
        assertThat(search(token, "companies", "{}").status()).isEqualTo(401);
        assertThat(hubspot.portal(150, "count.example.com").count("companies")).isZero();
    }

    @Test
    void staysConsistentUnderConcurrentCalls() throws Exception {
        HubSpotDouble.Portal portal = hubspot.portal(160, "threads.example.com");
        portal.generate("companies", 1_000, 1, T0, Duration.ofSeconds(1));
        String refreshToken = connect(portal).get("refresh_token").asText();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                calls.add(pool.submit(() -> {
                    String token = refresh(refreshToken).json().get("access_token").asText();
                    portal.put("companies", 5_000 + n, T0, Map.of("name", "c" + n));
                    return search(token, "companies", "{\"limit\":200}").json().get("total").asInt();
                }));
            }
            for (Future<Integer> call : calls) {
                assertThat(call.get()).isBetween(1_001, 1_040);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(hubspot.tokenGrants("refresh_token")).isEqualTo(40);
        assertThat(portal.count("companies")).isEqualTo(1_040);
    }

    // --- Helpers ---

    private JsonNode connect(HubSpotDouble.Portal portal) {
        Response tokens = token(Map.of("grant_type", "authorization_code", "client_id", HubSpotDouble.CLIENT_ID,
                "client_secret", HubSpotDouble.CLIENT_SECRET, "redirect_uri", REDIRECT,
                "code", hubspot.issueCode(portal)));
        assertThat(tokens.status()).isEqualTo(200);
        return tokens.json();
    }

    private Response refresh(String refreshToken) {
        return token(Map.of("grant_type", "refresh_token", "client_id", HubSpotDouble.CLIENT_ID,
                "client_secret", HubSpotDouble.CLIENT_SECRET, "refresh_token", refreshToken));
    }

    private Response token(Map<String, String> fields) {
        return send(HttpRequest.newBuilder(uri("/oauth/v1/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    }

    private Response search(String token, String type, String body) {
        return send(json("/crm/v3/objects/" + type + "/search", token, body));
    }

    private Response batchRead(String token, String type, List<String> ids) {
        return send(json("/crm/v3/objects/" + type + "/batch/read", token, inputs(ids)));
    }

    private Response associations(String token, String from, String to, List<String> ids) {
        return send(json("/crm/v4/associations/" + from + "/" + to + "/batch/read", token, inputs(ids)));
    }

    private static String inputs(List<String> ids) {
        return "{\"inputs\":[" + ids.stream().map(id -> "{\"id\":\"" + id + "\"}").collect(Collectors.joining(","))
                + "]}";
    }

    private static HttpRequest.Builder json(String path, String token, String body) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static URI uri(String path) {
        return URI.create(hubspot.baseUrl() + path);
    }

    private static String form(Map<String, String> fields) {
        Map<String, String> ordered = new LinkedHashMap<>(fields);
        return ordered.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("results").forEach(result -> ids.add(result.get("id").asText()));
        return ids;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(value -> texts.add(value.asText()));
        return texts;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            return new Response(HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Response(HttpResponse<String> raw) {

        int status() {
            return raw.statusCode();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }
    }
}
