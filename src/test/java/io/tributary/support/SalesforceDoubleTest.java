package io.tributary.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Salesforce double answers as Salesforce does: checked over real HTTP, without Spring. */
class SalesforceDoubleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String REDIRECT = "https://app.test/oauth/salesforce/callback";
    private static final String ORG_A = "00D000000000001AAA";
    private static final String ORG_B = "00D000000000002AAA";
    private static final String V = "/services/data/v" + SalesforceDouble.API_VERSION;
    private static final String INCREMENTAL = "SELECT Id, Name, SystemModstamp FROM Account WHERE SystemModstamp > %s "
            + "OR (SystemModstamp = %s AND Id > '%s') ORDER BY SystemModstamp, Id";

    private static SalesforceDouble salesforce;

    @BeforeAll
    static void start() {
        salesforce = SalesforceDouble.start();
    }

    @AfterAll
    static void stop() {
        salesforce.close();
    }

    @BeforeEach
    void reset() {
        salesforce.reset();
    }

    // --- OAuth ---

    @Test
    void exchangesACodeBoundToAPkceChallengeForTokens() throws Exception {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        String verifier = "verifier-" + "x".repeat(50);
        String code = salesforce.issueCode(org, challenge(verifier));

        Response tokens = token(codeGrant(code, verifier));
        assertThat(tokens.status()).isEqualTo(200);
        JsonNode body = tokens.json();
        assertThat(fieldNames(body)).containsExactlyInAnyOrder("access_token", "refresh_token", "signature", "scope",
                "instance_url", "id", "token_type", "issued_at");
        assertThat(body.has("expires_in")).isFalse();
        assertThat(body.get("instance_url").asText()).isEqualTo(salesforce.baseUrl());
        assertThat(body.get("id").asText()).isEqualTo(salesforce.baseUrl() + "/id/" + ORG_A + "/" + org.userId());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("scope").asText()).isEqualTo("refresh_token api id");
        assertThat(body.get("issued_at").asText()).matches("\\d{13}");
        assertThat(body.get("access_token").asText()).startsWith(ORG_A.substring(0, 15) + "!");
        // signature = Base64(HMAC-SHA256(client secret, id + issued_at)), as Salesforce documents.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SalesforceDouble.CLIENT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(body.get("signature").asText()).isEqualTo(Base64.getEncoder().encodeToString(mac.doFinal(
                (body.get("id").asText() + body.get("issued_at").asText()).getBytes(StandardCharsets.UTF_8))));
        assertThat(salesforce.tokenGrants("authorization_code")).isEqualTo(1);

        Response replay = token(codeGrant(code, verifier));
        assertOAuthError(replay, "invalid_grant", "invalid authorization code");

        Response wrongVerifier = token(codeGrant(salesforce.issueCode(org, challenge(verifier)), "another-verifier"));
        assertOAuthError(wrongVerifier, "invalid_grant", "invalid code verifier");
        Map<String, String> noVerifier = codeGrant(salesforce.issueCode(org, challenge(verifier)), null);
        assertOAuthError(token(noVerifier), "invalid_grant", "invalid code verifier");

        // Without a challenge there is nothing to check.
        assertThat(token(codeGrant(salesforce.issueCode(org, null), null)).status()).isEqualTo(200);
        assertThat(salesforce.tokenGrants("authorization_code")).isEqualTo(2);
    }

    @Test
    void refusesBadClientsAndGrantsAsSalesforceDoes() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        Map<String, String> wrongId = codeGrant(salesforce.issueCode(org, null), null);
        wrongId.put("client_id", "nope");
        assertOAuthError(token(wrongId), "invalid_client_id", "client identifier invalid");

        Map<String, String> wrongSecret = codeGrant(salesforce.issueCode(org, null), null);
        wrongSecret.put("client_secret", "nope");
        assertOAuthError(token(wrongSecret), "invalid_client", "invalid client credentials");

        Map<String, String> noRedirect = codeGrant(salesforce.issueCode(org, null), null);
        noRedirect.remove("redirect_uri");
        assertOAuthError(token(noRedirect), "redirect_uri_mismatch", "redirect_uri must match configuration");

        Map<String, String> password = codeGrant("x", null);
        password.put("grant_type", "password");
        assertOAuthError(token(password), "unsupported_grant_type", "grant type not supported");

        // Client credentials may come as HTTP Basic instead of form fields.
        Map<String, String> basic = codeGrant(salesforce.issueCode(org, null), null);
        basic.remove("client_id");
        basic.remove("client_secret");
        Response viaBasic = send(HttpRequest.newBuilder(uri("/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (SalesforceDouble.CLIENT_ID + ":" + SalesforceDouble.CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form(basic))));
        assertThat(viaBasic.status()).isEqualTo(200);
    }

    @Test
    void authorizeRedirectsBackWithACodeAndTheState() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        String verifier = "v".repeat(64);
        Response redirect = send(HttpRequest.newBuilder(uri("/services/oauth2/authorize?response_type=code&client_id="
                + SalesforceDouble.CLIENT_ID + "&redirect_uri=" + encode(REDIRECT) + "&scope=" + encode("api refresh_token id")
                + "&state=s-123&code_challenge=" + challenge(verifier) + "&code_challenge_method=S256")).GET());
        assertThat(redirect.status()).isEqualTo(302);
        String location = redirect.header("Location");
        assertThat(location).startsWith(REDIRECT + "?code=").endsWith("&state=s-123");
        String code = java.net.URLDecoder.decode(location.substring(location.indexOf("code=") + 5,
                location.indexOf("&state")), StandardCharsets.UTF_8);

        Map<String, String> elsewhere = codeGrant(code, verifier);
        elsewhere.put("redirect_uri", "https://elsewhere.test/cb");
        assertOAuthError(token(elsewhere), "redirect_uri_mismatch", "redirect_uri must match configuration");

        // The code was used up by that attempt; a fresh round trip works.
        Response again = send(HttpRequest.newBuilder(uri("/services/oauth2/authorize?response_type=code&client_id="
                + SalesforceDouble.CLIENT_ID + "&redirect_uri=" + encode(REDIRECT) + "&code_challenge="
                + challenge(verifier))).GET());
        String location2 = again.header("Location");
        Response tokens = token(codeGrant(java.net.URLDecoder.decode(location2.substring(location2.indexOf("code=") + 5),
                StandardCharsets.UTF_8), verifier));
        assertThat(tokens.status()).isEqualTo(200);
        assertThat(tokens.json().get("id").asText()).endsWith("/" + org.userId());

        Response unknownClient = send(HttpRequest.newBuilder(uri("/services/oauth2/authorize?response_type=code"
                + "&client_id=nope&redirect_uri=" + encode(REDIRECT))).GET());
        assertThat(unknownClient.status()).isEqualTo(400);
    }

    @Test
    void refreshingKeepsTheRefreshTokenUnlessRotationIsOn() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        JsonNode first = connect(org);
        String refreshToken = first.get("refresh_token").asText();

        Response refreshed = refresh(refreshToken);
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.json().has("refresh_token")).isFalse();
        assertThat(refreshed.json().has("expires_in")).isFalse();
        assertThat(refreshed.json().get("instance_url").asText()).isEqualTo(salesforce.baseUrl());
        String access = refreshed.json().get("access_token").asText();
        assertThat(access).isNotEqualTo(first.get("access_token").asText());
        assertThat(rest(access, "/limits").status()).isEqualTo(200);
        assertThat(rest(first.get("access_token").asText(), "/limits").status()).isEqualTo(200);
        assertThat(refresh(refreshToken).status()).isEqualTo(200);
        assertThat(salesforce.tokenGrants("refresh_token")).isEqualTo(2);

        salesforce.setRefreshTokenRotation(true);
        Response rotated = refresh(refreshToken);
        assertThat(rotated.status()).isEqualTo(200);
        String next = rotated.json().get("refresh_token").asText();
        assertThat(next).isNotEqualTo(refreshToken);
        Response rotatedAgain = refresh(next);
        String third = rotatedAgain.json().get("refresh_token").asText();
        assertThat(third).isNotEqualTo(next);
        String liveAccess = rotatedAgain.json().get("access_token").asText();

        // A rotated-out token is refused, and its reuse revokes the current one and its sessions too.
        assertOAuthError(refresh(next), "invalid_grant", "expired access/refresh token");
        assertOAuthError(refresh(third), "invalid_grant", "expired access/refresh token");
        assertThat(rest(liveAccess, "/limits").status()).isEqualTo(401);
    }

    @Test
    void revokedAndUnknownRefreshTokensAreRefused() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        assertOAuthError(refresh("5Aep861-made-up"), "invalid_grant", "authentication failure");

        JsonNode tokens = connect(org);
        salesforce.revokeRefreshTokens();
        Response revoked = refresh(tokens.get("refresh_token").asText());
        assertThat(revoked.status()).isEqualTo(400);
        assertThat(revoked.json()).isEqualTo(JSON.createObjectNode().put("error", "invalid_grant")
                .put("error_description", "expired access/refresh token"));
        assertThat(salesforce.tokenGrants("refresh_token")).isZero();
        // New approvals work again.
        assertThat(refresh(connect(org).get("refresh_token").asText()).status()).isEqualTo(200);
    }

    @Test
    void revokeEndpointEndsRefreshTokensWithTheirSessionsAndAccessTokensAlone() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        JsonNode tokens = connect(org);
        String refreshToken = tokens.get("refresh_token").asText();
        String access = tokens.get("access_token").asText();
        String refreshedAccess = refresh(refreshToken).json().get("access_token").asText();

        Response post = send(HttpRequest.newBuilder(uri("/services/oauth2/revoke"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + encode(refreshToken))));
        assertThat(post.status()).isEqualTo(200);
        assertThat(salesforce.revoked()).containsExactly(refreshToken);
        assertOAuthError(refresh(refreshToken), "invalid_grant", "expired access/refresh token");
        assertThat(rest(access, "/limits").status()).isEqualTo(401);
        assertThat(rest(refreshedAccess, "/limits").status()).isEqualTo(401);

        // GET with the access token, as camel-salesforce's logout does: only that session ends.
        JsonNode other = connect(org);
        String otherAccess = other.get("access_token").asText();
        String sibling = refresh(other.get("refresh_token").asText()).json().get("access_token").asText();
        Response get = send(HttpRequest.newBuilder(uri("/services/oauth2/revoke?token=" + encode(otherAccess))).GET());
        assertThat(get.status()).isEqualTo(200);
        assertThat(rest(otherAccess, "/limits").status()).isEqualTo(401);
        assertThat(rest(sibling, "/limits").status()).isEqualTo(200);
        assertThat(refresh(other.get("refresh_token").asText()).status()).isEqualTo(200);
        assertThat(salesforce.revoked()).containsExactly(refreshToken, otherAccess);

        Response unknown = send(HttpRequest.newBuilder(uri("/services/oauth2/revoke?token=nope")).GET());
        assertOAuthError(unknown, "invalid_token", "invalid token");
    }

    @Test
    void identityUrlDescribesTheTokensUser() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        JsonNode tokens = connect(org);
        String idUrl = tokens.get("id").asText();

        Response identity = send(HttpRequest.newBuilder(URI.create(idUrl))
                .header("Authorization", "Bearer " + tokens.get("access_token").asText()).GET());
        assertThat(identity.status()).isEqualTo(200);
        JsonNode body = identity.json();
        assertThat(body.get("id").asText()).isEqualTo(idUrl);
        assertThat(body.get("asserted_user").asBoolean()).isTrue();
        assertThat(body.get("organization_id").asText()).isEqualTo(ORG_A);
        assertThat(body.get("user_id").asText()).isEqualTo(org.userId());
        assertThat(body.get("username").asText()).contains("@");
        assertThat(body.get("display_name").asText()).isNotBlank();
        assertThat(body.get("email").asText()).contains("@");
        assertThat(body.get("urls").get("rest").asText()).isEqualTo(salesforce.baseUrl() + "/services/data/v{version}/");

        Response versioned = send(HttpRequest.newBuilder(URI.create(idUrl + "?version=latest"))
                .header("Authorization", "Bearer " + tokens.get("access_token").asText()).GET());
        assertThat(versioned.json().get("urls").get("query").asText()).endsWith(V + "/query/");

        Response badToken = send(HttpRequest.newBuilder(URI.create(idUrl)).header("Authorization", "Bearer nope").GET());
        assertThat(badToken.status()).isEqualTo(403);
        assertThat(badToken.body()).isEqualTo("Bad_OAuth_Token");
    }

    // --- sessions and limits ---

    @Test
    void expiredOrMissingSessionsGet401AsAnErrorArray() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        JsonNode tokens = connect(org);
        String access = tokens.get("access_token").asText();
        assertThat(rest(access, "/sobjects/Account/describe").status()).isEqualTo(200);

        salesforce.expireAccessTokens();
        Response expired = rest(access, "/sobjects/Account/describe");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json()).isEqualTo(errors("Session expired or invalid", "INVALID_SESSION_ID"));

        String fresh = refresh(tokens.get("refresh_token").asText()).json().get("access_token").asText();
        assertThat(rest(fresh, "/sobjects/Account/describe").status()).isEqualTo(200);

        Response unknown = rest("00D000000000001!made-up", "/limits");
        assertThat(unknown.json().get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
        Response noHeader = send(HttpRequest.newBuilder(uri(V + "/limits")).GET());
        assertThat(noHeader.status()).isEqualTo(401);
        assertThat(noHeader.json()).isEqualTo(errors("INVALID_HEADER_TYPE", "INVALID_AUTH_HEADER"));
    }

    @Test
    void sessionsCanExpireMidSync() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        String access = connect(org).get("access_token").asText();
        salesforce.expireAccessTokensAfter(2);
        assertThat(rest(access, "/limits").status()).isEqualTo(200);
        assertThat(rest(access, "/limits").status()).isEqualTo(200);
        assertThat(rest(access, "/limits").status()).isEqualTo(401);
        // Tokens issued after the call are not affected.
        assertThat(rest(connect(org).get("access_token").asText(), "/limits").status()).isEqualTo(200);
    }

    @Test
    void everyRestResponseCarriesTheDailyUsageAndTheLimitIsEnforced() throws IOException {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        String access = connect(org).get("access_token").asText();
        salesforce.setDailyLimit(5);
        salesforce.setDailyUsed(2);

        Response first = rest(access, "/sobjects/Account/describe");
        assertThat(first.header("Sforce-Limit-Info")).isEqualTo("api-usage=3/5");
        Response bad = rest(access, "/query?q=" + encode("SELECT Nope FROM Account"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Sforce-Limit-Info")).isEqualTo("api-usage=4/5");
        Response limits = rest(access, "/limits");
        assertThat(limits.header("Sforce-Limit-Info")).isEqualTo("api-usage=5/5");
        assertThat(limits.json().get("DailyApiRequests").get("Max").asInt()).isEqualTo(5);
        assertThat(limits.json().get("DailyApiRequests").get("Remaining").asInt()).isZero();

        Response refused = rest(access, "/limits");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json()).isEqualTo(errors("TotalRequests Limit exceeded.", "REQUEST_LIMIT_EXCEEDED"));
        assertThat(refused.header("Sforce-Limit-Info")).isEqualTo("api-usage=5/5");
        assertThat(org.dailyUsed()).isEqualTo(5);

        // camel-salesforce copies response headers starting with "Sforce" case-sensitively: check the wire.
        try (Socket socket = new Socket("127.0.0.1", URI.create(salesforce.baseUrl()).getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + V + "/limits HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + access
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> headers = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headers.add(line);
            }
            assertThat(headers).contains("Sforce-Limit-Info: api-usage=5/5");
        }

        // The limit is per org: another org has its own count.
        SalesforceDouble.Org other = salesforce.org(ORG_B, false);
        salesforce.setDailyUsed(0);
        assertThat(rest(connect(other).get("access_token").asText(), "/limits").header("Sforce-Limit-Info"))
                .isEqualTo("api-usage=1/5");
        assertThat(org.dailyUsed()).isZero();
    }

    // --- describe ---

    @Test
    void describeListsPersonAccountFieldsOnlyWhereEnabled() {
        String business = connect(salesforce.org(ORG_A, false)).get("access_token").asText();
        String person = connect(salesforce.org(ORG_B, true)).get("access_token").asText();

        Response account = rest(business, "/sobjects/Account/describe");
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.json().get("name").asText()).isEqualTo("Account");
        List<String> fields = names(account.json().get("fields"));
        assertThat(fields).contains("Id", "Name", "SystemModstamp", "IsDeleted", "BillingCity")
                .doesNotContain("IsPersonAccount", "PersonEmail", "PersonMailingStreet", "PersonContactId");
        JsonNode id = account.json().get("fields").get(0);
        assertThat(id.get("name").asText()).isEqualTo("Id");
        assertThat(id.get("type").asText()).isEqualTo("id");

        List<String> personFields = names(rest(person, "/sobjects/Account/describe/").json().get("fields"));
        assertThat(personFields).contains("IsPersonAccount", "PersonEmail", "PersonMailingStreet", "PersonContactId",
                "FirstName", "LastName");
        assertThat(names(rest(person, "/sobjects/Contact/describe").json().get("fields"))).contains("IsPersonAccount");
        assertThat(names(rest(business, "/sobjects/Contact/describe").json().get("fields")))
                .contains("Email", "AccountId").doesNotContain("IsPersonAccount");

        assertThat(rest(business, "/sobjects/account/describe").json().get("name").asText()).isEqualTo("Account");

        Response unknown = rest(business, "/sobjects/Opportunity/describe");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get(0).get("errorCode").asText()).isEqualTo("NOT_FOUND");
        assertThat(rest(business, "/no/such/thing").status()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(uri("/services/data")).GET()).json().get(0).has("version")).isTrue();
    }

    // --- query ---

    @Test
    void queryReturnsTheSelectedFieldsInSystemModstampIdOrder() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        String access = connect(org).get("access_token").asText();
        org.put("Account", "001000000000003AAA", T0.plusSeconds(20), Map.of("Name", "Gamma", "Industry", "Retail"));
        org.put("Account", "001000000000001AAA", T0.plusSeconds(10), Map.of("Name", "Alpha"));
        org.put("Account", "001000000000002AAA", T0.plusSeconds(10), Map.of("name", "Beta", "Website", "https://b.test"));

        Response page = query(access, "SELECT Id, Name, Website, SystemModstamp FROM Account ORDER BY SystemModstamp, Id");
        assertThat(page.status()).isEqualTo(200);
        JsonNode body = page.json();
        assertThat(body.get("totalSize").asInt()).isEqualTo(3);
        assertThat(body.get("done").asBoolean()).isTrue();
        assertThat(body.has("nextRecordsUrl")).isFalse();
        assertThat(ids(body)).containsExactly("001000000000001AAA", "001000000000002AAA", "001000000000003AAA");
        JsonNode beta = body.get("records").get(1);
        assertThat(fieldNames(beta)).containsExactly("attributes", "Id", "Name", "Website", "SystemModstamp");
        assertThat(beta.get("attributes").get("type").asText()).isEqualTo("Account");
        assertThat(beta.get("attributes").get("url").asText()).isEqualTo(V + "/sobjects/Account/001000000000002AAA");
        assertThat(beta.get("Name").asText()).isEqualTo("Beta");
        assertThat(beta.get("SystemModstamp").asText()).isEqualTo("2026-01-01T00:00:10.000+0000");
        assertThat(body.get("records").get(0).get("Website").isNull()).isTrue();

        // The incremental query the connector sends, on either path spelling.
        String soql = INCREMENTAL.formatted("2026-01-01T00:00:10Z", "2026-01-01T00:00:10Z", "001000000000001AAA");
        assertThat(ids(query(access, soql).json())).containsExactly("001000000000002AAA", "001000000000003AAA");
        Response slash = rest(access, "/query/?q=" + encode(soql));
        assertThat(ids(slash.json())).containsExactly("001000000000002AAA", "001000000000003AAA");

        // >=, extra conditions and LIMIT.
        assertThat(ids(query(access, "SELECT Id FROM Account WHERE SystemModstamp >= 2026-01-01T00:00:10.000Z "
                + "AND Name != 'alpha' ORDER BY SystemModstamp, Id LIMIT 1").json())).containsExactly("001000000000002AAA");
        JsonNode limited = query(access, "SELECT Id FROM Account ORDER BY SystemModstamp, Id LIMIT 2").json();
        assertThat(limited.get("totalSize").asInt()).isEqualTo(2);
        assertThat(limited.get("done").asBoolean()).isTrue();
        // Other orders work too.
        assertThat(ids(query(access, "SELECT Id FROM Account ORDER BY Name DESC").json()))
                .containsExactly("001000000000003AAA", "001000000000002AAA", "001000000000001AAA");
        assertThat(ids(query(access, "SELECT Id FROM Account WHERE Id IN ('001000000000003AAA', '001000000000001')"
                + " ORDER BY Id").json())).containsExactly("001000000000001AAA", "001000000000003AAA");
    }

    @Test
    void datetimeLiteralsAreUnquotedIso8601InAnyOffset() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        String access = connect(org).get("access_token").asText();
        org.generate("Account", 10, T0, Duration.ofMinutes(1));
        for (String literal : List.of("2026-01-01T00:04:00Z", "2026-01-01T00:04:00.000Z", "2026-01-01T00:04:00.000+0000",
                "2026-01-01T00:04:00+00:00", "2026-01-01T01:04:00+01:00", "2025-12-31T16:04:00-08:00")) {
            Response page = query(access, "SELECT Id FROM Account WHERE SystemModstamp > " + literal);
            assertThat(page.status()).as(literal).isEqualTo(200);
            assertThat(page.json().get("totalSize").asInt()).as(literal).isEqualTo(5);
        }
        Response quoted = query(access, "SELECT Id FROM Account WHERE SystemModstamp > '2026-01-01T00:04:00Z'");
        assertQueryError(quoted, "INVALID_FIELD", "value of filter criterion for field 'SystemModstamp' must be of "
                + "type dateTime and should not be enclosed in quotes");
        Response unquotedId = query(access, "SELECT Id FROM Account WHERE Id > 001000000000001AAA");
        assertThat(unquotedId.status()).isEqualTo(400);
    }

    @Test
    void queryIsAsStrictAsSalesforce() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        String access = connect(org).get("access_token").asText();

        Response noColumn = query(access, "SELECT Id, Foo FROM Account");
        assertQueryError(noColumn, "INVALID_FIELD", "No such column 'Foo' on entity 'Account'.");
        assertThat(noColumn.json().get(0).get("message").asText()).contains("ERROR at Row:1:Column:12");

        // Person-account fields do not exist where person accounts are off: the connector must check describe first.
        assertQueryError(query(access, "SELECT Id, PersonEmail FROM Account"), "INVALID_FIELD",
                "No such column 'PersonEmail' on entity 'Account'");
        assertQueryError(query(access, "SELECT Id FROM Account WHERE IsPersonAccount = false"), "INVALID_FIELD",
                "No such column 'IsPersonAccount'");
        assertQueryError(query(access, "SELECT Id FROM Contact WHERE IsPersonAccount = false"), "INVALID_FIELD",
                "No such column 'IsPersonAccount' on entity 'Contact'");

        assertQueryError(query(access, "SELECT Id FROM Opportunity"), "INVALID_TYPE",
                "sObject type 'Opportunity' is not supported");
        assertQueryError(query(access, "SELECT Id FROM Account WHERE"), "MALFORMED_QUERY", "unexpected token: '<EOF>'");
        assertQueryError(query(access, "SELECT Id Account"), "MALFORMED_QUERY", "unexpected token");
        assertQueryError(query(access, "SELECT FROM Account"), "MALFORMED_QUERY", "unexpected token: FROM");
        // Mixing AND and OR without parentheses is an error in SOQL.
        assertQueryError(query(access, "SELECT Id FROM Account WHERE SystemModstamp > 2026-01-01T00:00:00Z OR "
                + "SystemModstamp = 2026-01-01T00:00:00Z AND Id > '001000000000001AAA'"), "MALFORMED_QUERY",
                "unexpected token: AND");
        assertQueryError(query(access, "SELECT Id FROM Account WHERE Id > 'short'"), "INVALID_QUERY_FILTER_OPERATOR",
                "invalid ID field: short");
        assertQueryError(query(access, "SELECT Id FROM Account WHERE Name = 5"), "INVALID_FIELD",
                "must be of type string and should be enclosed in quotes");
        assertQueryError(query(access, "SELECT Id FROM Account WHERE IsDeleted = 'false'"), "INVALID_FIELD",
                "must be of type boolean and should not be enclosed in quotes");
        assertQueryError(rest(access, "/query"), "MALFORMED_QUERY", "");
    }

    @Test
    void queryLeavesDeletedRecordsOutAndQueryAllKeepsThem() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        String access = connect(org).get("access_token").asText();
        org.generate("Account", 3, T0, Duration.ofSeconds(1));
        org.delete("Account", "001000000000002AAA", T0.plusSeconds(60));
        assertThat(org.count("Account")).isEqualTo(2);

        String soql = "SELECT Id, Name, IsDeleted, SystemModstamp FROM Account ORDER BY SystemModstamp, Id";
        assertThat(ids(query(access, soql).json())).containsExactly("001000000000001AAA", "001000000000003AAA");
        JsonNode all = rest(access, "/queryAll?q=" + encode(soql)).json();
        assertThat(ids(all)).containsExactly("001000000000001AAA", "001000000000003AAA", "001000000000002AAA");
        JsonNode deleted = all.get("records").get(2);
        assertThat(deleted.get("IsDeleted").asBoolean()).isTrue();
        assertThat(deleted.get("Name").asText()).isEqualTo("Account 2");
        assertThat(deleted.get("SystemModstamp").asText()).isEqualTo("2026-01-01T00:01:00.000+0000");
        assertThat(ids(rest(access, "/queryAll/?q=" + encode(soql + " LIMIT 10")).json())).hasSize(3);
    }

    @Test
    void largeResultsComeInBatchesFollowedByNextRecordsUrl() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        String access = connect(org).get("access_token").asText();
        org.generate("Account", 4_500, T0, Duration.ofSeconds(1));

        String soql = "SELECT Id, Name FROM Account WHERE SystemModstamp >= 2026-01-01T00:00:00Z ORDER BY SystemModstamp, Id";
        JsonNode first = query(access, soql).json();
        assertThat(first.get("totalSize").asInt()).isEqualTo(4_500);
        assertThat(first.get("done").asBoolean()).isFalse();
        assertThat(first.get("records")).hasSize(2_000);
        String next = first.get("nextRecordsUrl").asText();
        assertThat(next).matches(V.replace(".", "\\.") + "/query/01g[0-9A-Za-z]{15}-2000");
        List<String> all = new ArrayList<>(ids(first));
        JsonNode page = first;
        while (!page.get("done").asBoolean()) {
            Response more = send(HttpRequest.newBuilder(URI.create(salesforce.baseUrl() + page.get("nextRecordsUrl").asText()))
                    .header("Authorization", "Bearer " + access).GET());
            assertThat(more.status()).isEqualTo(200);
            page = more.json();
            assertThat(page.get("totalSize").asInt()).isEqualTo(4_500);
            all.addAll(ids(page));
        }
        assertThat(all).hasSize(4_500).doesNotHaveDuplicates();
        assertThat(all).isSorted();
        assertThat(all.get(0)).isEqualTo("001000000000001AAA");
        assertThat(all.get(4_499)).isEqualTo("001000000004500AAA");

        // A locator may be fetched again (a retry), but not from another org.
        Response again = send(HttpRequest.newBuilder(URI.create(salesforce.baseUrl() + next))
                .header("Authorization", "Bearer " + access).GET());
        assertThat(ids(again.json()).get(0)).isEqualTo(all.get(2_000));
        String stranger = connect(salesforce.org(ORG_B, false)).get("access_token").asText();
        Response foreign = send(HttpRequest.newBuilder(URI.create(salesforce.baseUrl() + next))
                .header("Authorization", "Bearer " + stranger).GET());
        assertQueryError(foreign, "INVALID_QUERY_LOCATOR", "invalid query locator");
        assertQueryError(rest(access, "/query/01gNOPE-2000"), "INVALID_QUERY_LOCATOR", "invalid query locator");

        // Sforce-Query-Options: batchSize, held to 200..2000.
        JsonNode small = send(HttpRequest.newBuilder(uri(V + "/query?q=" + encode(soql)))
                .header("Authorization", "Bearer " + access).header("Sforce-Query-Options", "batchSize=500").GET()).json();
        assertThat(small.get("records")).hasSize(500);
        assertThat(small.get("nextRecordsUrl").asText()).endsWith("-500");
        JsonNode tiny = send(HttpRequest.newBuilder(uri(V + "/query?q=" + encode(soql)))
                .header("Authorization", "Bearer " + access).header("Sforce-Query-Options", "batchSize=10").GET()).json();
        assertThat(tiny.get("records")).hasSize(200);
    }

    @Test
    void queryAllCursorsKeepReturningDeletedRecords() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        String access = connect(org).get("access_token").asText();
        org.generate("Account", 2_500, T0, Duration.ofSeconds(1));
        for (int i = 2_101; i <= 2_110; i++) {
            // Deleted without moving, so they stay in the second batch.
            org.delete("Account", "001" + "%012d".formatted(i) + "AAA", T0.plusSeconds(i - 1));
        }
        String soql = "SELECT Id, IsDeleted FROM Account ORDER BY SystemModstamp, Id";
        JsonNode first = rest(access, "/queryAll?q=" + encode(soql)).json();
        assertThat(first.get("totalSize").asInt()).isEqualTo(2_500);
        // Salesforce's queryAll nextRecordsUrl says "query"; /queryAll/{locator} continues it as well.
        String next = first.get("nextRecordsUrl").asText();
        assertThat(next).contains("/query/");
        JsonNode second = send(HttpRequest.newBuilder(URI.create(salesforce.baseUrl() + next.replace("/query/", "/queryAll/")))
                .header("Authorization", "Bearer " + access).GET()).json();
        assertThat(second.get("done").asBoolean()).isTrue();
        assertThat(second.get("records")).hasSize(500);
        long deleted = 0;
        for (JsonNode record : second.get("records")) {
            deleted += record.get("IsDeleted").asBoolean() ? 1 : 0;
        }
        assertThat(deleted).isEqualTo(10);

        JsonNode plain = query(access, soql).json();
        assertThat(plain.get("totalSize").asInt()).isEqualTo(2_490);
    }

    @Test
    void keysetPagingThroughTiesCoversEveryRecordOnce() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        String access = connect(org).get("access_token").asText();
        // 1,200 records sharing 3 timestamps, plus put records interleaved with the generated ones.
        org.generate("Account", 400, T0, Duration.ZERO);
        org.generate("Account", 400, T0.plusSeconds(1), Duration.ZERO);
        org.generate("Account", 400, T0.plusSeconds(2), Duration.ZERO);
        org.put("Account", "001A00000000001AAA", T0.plusSeconds(1), Map.of("Name", "Put"));
        org.put("Account", "001000000000005AAA", T0.plusSeconds(1), Map.of("Name", "Moved"));
        assertThat(org.count("Account")).isEqualTo(1_201);

        Set<String> seen = new HashSet<>();
        String stamp = "2025-12-31T00:00:00Z";
        String lastId = "000000000000000AAA";
        int queries = 0;
        while (true) {
            JsonNode page = query(access, INCREMENTAL.formatted(stamp, stamp, lastId) + " LIMIT 250").json();
            queries++;
            JsonNode records = page.get("records");
            if (records.isEmpty()) {
                break;
            }
            for (JsonNode record : records) {
                assertThat(seen.add(record.get("Id").asText())).isTrue();
            }
            JsonNode last = records.get(records.size() - 1);
            stamp = last.get("SystemModstamp").asText();
            lastId = last.get("Id").asText();
        }
        assertThat(seen).hasSize(1_201).contains("001A00000000001AAA", "001000000000005AAA");
        assertThat(queries).isEqualTo(6);
    }

    @Test
    void twoHundredThousandGeneratedAccountsAreCheapToHoldAndToPage() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        String access = connect(org).get("access_token").asText();
        org.generate("Account", 200_000, T0, Duration.ofSeconds(1));
        assertThat(org.count("Account")).isEqualTo(200_000);

        Instant middle = T0.plusSeconds(150_000);
        JsonNode tail = query(access, INCREMENTAL.formatted(middle, middle, "001000000150001AAA")).json();
        assertThat(tail.get("totalSize").asInt()).isEqualTo(49_999);
        assertThat(ids(tail).get(0)).isEqualTo("001000000150002AAA");
        JsonNode record = tail.get("records").get(0);
        assertThat(record.get("Name").asText()).isEqualTo("Account 150002");
        assertThat(record.get("SystemModstamp").asText()).isEqualTo("2026-01-02T17:40:01.000+0000");
    }

    // --- person accounts ---

    @Test
    void personAccountsHaveTheirOwnContacts() {
        SalesforceDouble.Org org = salesforce.org(ORG_B, true);
        String access = connect(org).get("access_token").asText();
        org.put("Account", "001000000000001AAA", T0, Map.of("Name", "Acme Corp"));
        org.put("Account", "001000000000002AAA", T0.plusSeconds(1), Map.of("IsPersonAccount", true,
                "FirstName", "Ada", "LastName", "Lovelace", "PersonEmail", "ada@example.com",
                "PersonMailingStreet", "1 Analytical St"));
        org.put("Contact", "003000000000100AAA", T0.plusSeconds(2), Map.of("FirstName", "Bob", "LastName", "Buyer",
                "AccountId", "001000000000001AAA", "Email", "bob@acme.test"));
        org.generate("PersonAccount", 3, T0.plusSeconds(10), Duration.ofSeconds(1));
        assertThat(org.count("Account")).isEqualTo(5);
        assertThat(org.count("Contact")).isEqualTo(5);

        JsonNode people = query(access, "SELECT Id, Name, IsPersonAccount, PersonEmail, PersonMailingStreet, "
                + "PersonContactId FROM Account WHERE SystemModstamp >= 2026-01-01T00:00:00Z ORDER BY SystemModstamp, Id")
                .json();
        assertThat(people.get("totalSize").asInt()).isEqualTo(5);
        JsonNode acme = people.get("records").get(0);
        assertThat(acme.get("IsPersonAccount").asBoolean()).isFalse();
        assertThat(acme.get("PersonEmail").isNull()).isTrue();
        JsonNode ada = people.get("records").get(1);
        assertThat(ada.get("Name").asText()).isEqualTo("Ada Lovelace");
        assertThat(ada.get("IsPersonAccount").asBoolean()).isTrue();
        assertThat(ada.get("PersonEmail").asText()).isEqualTo("ada@example.com");
        String adaContact = ada.get("PersonContactId").asText();
        assertThat(adaContact).startsWith("003").hasSize(18);

        JsonNode business = query(access, "SELECT Id FROM Account WHERE (SystemModstamp >= 2026-01-01T00:00:00Z) "
                + "AND IsPersonAccount = false").json();
        assertThat(ids(business)).containsExactly("001000000000001AAA");

        JsonNode contacts = query(access, "SELECT Id, AccountId, Name, Email, MailingStreet, IsPersonAccount FROM Contact "
                + "ORDER BY SystemModstamp, Id").json();
        assertThat(contacts.get("totalSize").asInt()).isEqualTo(5);
        JsonNode adaAsContact = contacts.get("records").get(0);
        assertThat(adaAsContact.get("Id").asText()).isEqualTo(adaContact);
        assertThat(adaAsContact.get("AccountId").asText()).isEqualTo("001000000000002AAA");
        assertThat(adaAsContact.get("IsPersonAccount").asBoolean()).isTrue();
        assertThat(adaAsContact.get("Email").asText()).isEqualTo("ada@example.com");
        assertThat(adaAsContact.get("MailingStreet").asText()).isEqualTo("1 Analytical St");
        JsonNode bob = contacts.get("records").get(1);
        assertThat(bob.get("IsPersonAccount").asBoolean()).isFalse();
        assertThat(bob.get("Name").asText()).isEqualTo("Bob Buyer");
        JsonNode generatedPerson = contacts.get("records").get(2);
        assertThat(generatedPerson.get("IsPersonAccount").asBoolean()).isTrue();
        assertThat(generatedPerson.get("Email").asText()).matches("person-\\d+@example.com");
        assertThat(generatedPerson.get("AccountId").asText()).startsWith("001");

        // A person account's contact follows its account: deleted with it, visible to queryAll only.
        org.delete("Account", "001000000000002AAA", T0.plusSeconds(100));
        assertThat(org.count("Contact")).isEqualTo(4);
        JsonNode all = rest(access, "/queryAll?q=" + encode("SELECT Id, IsDeleted, SystemModstamp FROM Contact "
                + "WHERE SystemModstamp > 2026-01-01T00:01:00Z")).json();
        assertThat(ids(all)).containsExactly(adaContact);
        assertThat(all.get("records").get(0).get("IsDeleted").asBoolean()).isTrue();
        assertThatThrownBy(() -> org.put("Contact", adaContact, T0, Map.of("LastName", "X")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- orgs, bookkeeping, threads ---

    @Test
    void orgsAreSeparateAndMisuseIsCaughtEarly() {
        SalesforceDouble.Org a = salesforce.org(ORG_A, false);
        SalesforceDouble.Org b = salesforce.org(ORG_B, false);
        a.generate("Account", 5, T0, Duration.ofSeconds(1));
        b.generate("Contact", 2, T0, Duration.ofSeconds(1));
        String tokenB = connect(b).get("access_token").asText();
        assertThat(query(tokenB, "SELECT Id FROM Account").json().get("totalSize").asInt()).isZero();
        assertThat(ids(query(tokenB, "SELECT Id FROM Contact").json()))
                .containsExactly("003000000000001AAA", "003000000000002AAA");
        assertThat(salesforce.org(ORG_A, false)).isSameAs(a);

        assertThatThrownBy(() -> salesforce.org(ORG_A, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> salesforce.org("00D123", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.put("Account", "003000000000001AAA", T0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.put("Account", "001000000000009AAA", T0, Map.of("PersonEmail", "x@y")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.generate("PersonAccount", 1, T0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.delete("Account", "001000000000099AAA", T0))
                .isInstanceOf(IllegalArgumentException.class);

        // Puts after generating replace generated records; generating after puts never reuses their ids.
        a.put("Account", "001000000000002AAA", T0.plusSeconds(50), Map.of("Name", "Renamed"));
        a.put("Account", "001000000000007AAA", T0.plusSeconds(51), Map.of("Name", "Explicit"));
        a.generate("Account", 2, T0.plusSeconds(60), Duration.ofSeconds(1));
        String tokenA = connect(a).get("access_token").asText();
        JsonNode all = query(tokenA, "SELECT Id, Name FROM Account ORDER BY SystemModstamp, Id").json();
        assertThat(ids(all)).containsExactly("001000000000001AAA", "001000000000003AAA", "001000000000004AAA",
                "001000000000005AAA", "001000000000002AAA", "001000000000007AAA", "001000000000008AAA",
                "001000000000009AAA");
        assertThat(all.get("records").get(4).get("Name").asText()).isEqualTo("Renamed");
    }

    @Test
    void countsRequestsAndForgetsEverythingOnReset() {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        String access = connect(org).get("access_token").asText();
        query(access, "SELECT Id FROM Account");
        rest(access, "/limits");
        assertThat(salesforce.requests("/services/oauth2/token")).isEqualTo(1);
        assertThat(salesforce.requests("/services/data/")).isEqualTo(2);
        assertThat(salesforce.requests("/services/data/v62.0/query")).isEqualTo(1);
        assertThat(salesforce.requests("/")).isEqualTo(3);

        salesforce.reset();
        assertThat(salesforce.requests("/")).isZero();
        assertThat(salesforce.tokenGrants("authorization_code")).isZero();
        assertThat(rest(access, "/limits").status()).isEqualTo(401);
        assertThat(salesforce.org(ORG_A, true).personAccounts()).isTrue();
    }

    @Test
    void servesConcurrentSyncsConsistently() throws Exception {
        SalesforceDouble.Org org = salesforce.org(ORG_A, false);
        org.generate("Account", 5_000, T0, Duration.ofMillis(10));
        String soql = "SELECT Id FROM Account ORDER BY SystemModstamp, Id";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(() -> {
                    String access = connect(org).get("access_token").asText();
                    List<String> ids = new ArrayList<>();
                    JsonNode page = query(access, soql).json();
                    ids.addAll(ids(page));
                    while (!page.get("done").asBoolean()) {
                        page = send(HttpRequest.newBuilder(URI.create(salesforce.baseUrl()
                                + page.get("nextRecordsUrl").asText())).header("Authorization", "Bearer " + access).GET())
                                .json();
                        ids.addAll(ids(page));
                    }
                    return ids;
                }));
            }
            // Writes meanwhile, at times after every generated record: no read sees them mid-page.
            for (int i = 0; i < 50; i++) {
                org.put("Account", "001B" + "%011d".formatted(i) + "AAA", T0.plusSeconds(1_000 + i), Map.of("Name", "n" + i));
            }
            Set<Integer> sizes = new HashSet<>();
            for (Future<List<String>> run : runs) {
                List<String> ids = run.get();
                assertThat(ids).doesNotHaveDuplicates();
                assertThat(ids.subList(0, 5_000)).isSorted();
                sizes.add(ids.size());
            }
            assertThat(sizes).allMatch(size -> size >= 5_000 && size <= 5_050);
        } finally {
            pool.shutdownNow();
        }
        assertThat(salesforce.tokenGrants("authorization_code")).isEqualTo(8);
    }

    // --- helpers ---

    private JsonNode connect(SalesforceDouble.Org org) {
        String verifier = "verifier-" + System.nanoTime() + "-abcdefghijklmnopqrstuvwxyz0123456789";
        Response tokens = token(codeGrant(salesforce.issueCode(org, challenge(verifier)), verifier));
        assertThat(tokens.status()).isEqualTo(200);
        return tokens.json();
    }

    private static Map<String, String> codeGrant(String code, String verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("client_id", SalesforceDouble.CLIENT_ID);
        form.put("client_secret", SalesforceDouble.CLIENT_SECRET);
        form.put("redirect_uri", REDIRECT);
        form.put("format", "json");
        if (verifier != null) {
            form.put("code_verifier", verifier);
        }
        return form;
    }

    private Response refresh(String refreshToken) {
        return token(Map.of("grant_type", "refresh_token", "client_id", SalesforceDouble.CLIENT_ID, "client_secret",
                SalesforceDouble.CLIENT_SECRET, "refresh_token", refreshToken, "format", "json"));
    }

    private Response token(Map<String, String> fields) {
        return send(HttpRequest.newBuilder(uri("/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    }

    private Response query(String access, String soql) {
        return rest(access, "/query?q=" + encode(soql));
    }

    private Response rest(String access, String path) {
        return send(HttpRequest.newBuilder(uri(V + path)).header("Authorization", "Bearer " + access).GET());
    }

    private static void assertOAuthError(Response response, String error, String description) {
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isEqualTo(error);
        assertThat(response.json().get("error_description").asText()).isEqualTo(description);
    }

    private static void assertQueryError(Response response, String errorCode, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode errors = response.json();
        assertThat(errors.isArray()).isTrue();
        assertThat(errors.get(0).get("errorCode").asText()).isEqualTo(errorCode);
        assertThat(errors.get(0).get("message").asText()).contains(messagePart);
    }

    private static JsonNode errors(String message, String errorCode) {
        return JSON.createArrayNode().add(JSON.createObjectNode().put("message", message).put("errorCode", errorCode));
    }

    private static String challenge(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(String path) {
        return URI.create(salesforce.baseUrl() + path);
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("records").forEach(record -> ids.add(record.get("Id").asText()));
        return ids;
    }

    private static List<String> names(JsonNode fields) {
        List<String> names = new ArrayList<>();
        fields.forEach(field -> names.add(field.get("name").asText()));
        return names;
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

        String body() {
            return raw.body();
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
