package io.tributary.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.common.BoundedHttpClient;
import io.tributary.common.SafeText;
import io.tributary.common.TributaryMetrics;
import io.tributary.integration.ReauthRequiredException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Salesforce's OAuth web-server flow with PKCE, on the org's login host: authorize URL, code
 * exchange, refresh (keeping a rotated refresh token), identity, the Account describe, revoke.
 */
@Component
public class SalesforceOAuthClient {

    private final SalesforceProperties properties;
    private final ObjectMapper json;
    private final BoundedHttpClient http;
    private final TributaryMetrics metrics;

    public SalesforceOAuthClient(SalesforceProperties properties, ObjectMapper json, TributaryMetrics metrics) {
        this.properties = properties;
        this.json = json;
        this.metrics = metrics;
        this.http = new BoundedHttpClient(properties.requestTimeout());
    }

    public String authorizeUrl(String loginUrl, String state, String codeVerifier) {
        return loginUrl + "/services/oauth2/authorize?" + form(Map.of(
                "response_type", "code",
                "client_id", properties.clientId(),
                "redirect_uri", properties.redirectUri(),
                "scope", properties.scopes(),
                "state", state,
                "code_challenge", challenge(codeVerifier),
                "code_challenge_method", "S256"));
    }

    public SalesforceTokens exchangeCode(String loginUrl, String code, String codeVerifier) {
        JsonNode token = tokenGrant(loginUrl, Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", properties.redirectUri(), "code_verifier", codeVerifier), false);
        return tokens(token, loginUrl, token.path("refresh_token").asText(""));
    }

    /** A new access token; with rotation on, Salesforce also sends a new refresh token, which must be kept. */
    public SalesforceTokens refresh(SalesforceTokens current) {
        JsonNode token = tokenGrant(current.loginUrl(), Map.of("grant_type", "refresh_token",
                "refresh_token", current.refreshToken()), true);
        return tokens(token, current.loginUrl(), token.path("refresh_token").asText(current.refreshToken()));
    }

    /** The org id, from the identity URL the token response named. */
    public String organizationId(SalesforceTokens tokens) {
        JsonNode identity = get(tokens.identityUrl(), tokens.accessToken(), "identity");
        String orgId = identity.path("organization_id").asText("");
        if (orgId.isEmpty()) {
            throw new SalesforceApiException(502, "INVALID_RESPONSE", "Salesforce's identity has no organization_id");
        }
        return orgId;
    }

    /** Person Accounts are on when the Account describe has IsPersonAccount. */
    public boolean hasPersonAccounts(SalesforceTokens tokens) {
        JsonNode describe = get(tokens.instanceUrl() + "/services/data/v" + properties.apiVersion()
                + "/sobjects/Account/describe", tokens.accessToken(), "Account describe");
        for (JsonNode field : describe.path("fields")) {
            if ("IsPersonAccount".equals(field.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Best effort: a disconnect must not fail because Salesforce is unreachable. */
    public boolean revoke(SalesforceTokens tokens) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(tokens.loginUrl() + "/services/oauth2/revoke"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("token", tokens.refreshToken())))));
            metrics.providerAnswered("salesforce", response.statusCode());
            return response.statusCode() / 100 == 2;
        } catch (IOException e) {
            metrics.providerUnreachable("salesforce");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String challenge(String codeVerifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(codeVerifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private SalesforceTokens tokens(JsonNode token, String loginUrl, String refreshToken) {
        String access = token.path("access_token").asText("");
        String instanceUrl = token.path("instance_url").asText("");
        String identityUrl = token.path("id").asText("");
        if (access.isEmpty() || instanceUrl.isEmpty() || identityUrl.isEmpty()) {
            throw new SalesforceApiException(502, "INVALID_RESPONSE",
                    "Salesforce's token response lacks access_token, instance_url or id");
        }
        return new SalesforceTokens(access, refreshToken, instanceUrl, identityUrl, loginUrl);
    }

    private JsonNode tokenGrant(String loginUrl, Map<String, String> grant, boolean refreshing) {
        Map<String, String> body = new LinkedHashMap<>(grant);
        body.put("client_id", properties.clientId());
        body.put("client_secret", properties.clientSecret());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(loginUrl + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(body)));
        HttpResponse<String> response = send(request, "token");
        JsonNode answer = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            String error = answer.path("error").asText("HTTP_" + response.statusCode());
            if (refreshing && "invalid_grant".equals(error)) {
                throw new ReauthRequiredException("Salesforce refused the refresh token (invalid_grant): connect the org again");
            }
            throw new SalesforceApiException(response.statusCode(), error, "Salesforce's token endpoint answered "
                    + response.statusCode() + " " + error + ": " + SafeText.scrub(answer.path("error_description").asText("")));
        }
        return answer;
    }

    private JsonNode get(String url, String accessToken, String what) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + accessToken).header("Accept", "application/json").GET(), what);
        JsonNode answer = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            JsonNode first = answer.isArray() && !answer.isEmpty() ? answer.get(0) : answer;
            String code = first.path("errorCode").asText("HTTP_" + response.statusCode());
            throw new SalesforceApiException(response.statusCode(), code, "Salesforce's " + what + " answered "
                    + response.statusCode() + " " + code + ": " + SafeText.scrub(first.path("message").asText("")));
        }
        return answer;
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String what) {
        try {
            HttpResponse<String> response = http.send(request);
            metrics.providerAnswered("salesforce", response.statusCode());
            return response;
        } catch (IOException e) {
            metrics.providerUnreachable("salesforce");
            throw new SalesforceApiException(503, "UNREACHABLE", "Salesforce's " + what + " endpoint " + http.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SalesforceApiException(503, "INTERRUPTED", "interrupted calling Salesforce's " + what);
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
