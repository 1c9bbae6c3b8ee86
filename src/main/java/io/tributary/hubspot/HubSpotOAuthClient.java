package io.tributary.hubspot;

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
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** HubSpot's OAuth endpoints: authorize URL, code exchange, refresh, token info and revoke. */
@Component
public class HubSpotOAuthClient {

    /** The portal a token belongs to. */
    public record Portal(long hubId, String hubDomain) {
    }

    private final HubSpotProperties properties;
    private final BoundedHttpClient http;
    private final ObjectMapper json;
    private final Clock clock;
    private final TributaryMetrics metrics;

    public HubSpotOAuthClient(HubSpotProperties properties, ObjectMapper json, Clock clock, TributaryMetrics metrics) {
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
        this.http = new BoundedHttpClient(properties.requestTimeout());
    }

    public String authorizeUrl(String state) {
        return properties.authBaseUrl() + "/oauth/authorize?" + form(Map.of(
                "client_id", properties.clientId(),
                "redirect_uri", properties.redirectUri(),
                "scope", properties.scopes(),
                "state", state));
    }

    public HubSpotTokens exchangeCode(String code) {
        return tokenGrant(Map.of("grant_type", "authorization_code", "code", code), null);
    }

    /** A new access token; a refused refresh token (invalid_grant / BAD_REFRESH_TOKEN) needs a reconnect. */
    public HubSpotTokens refresh(String refreshToken) {
        return tokenGrant(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken), refreshToken);
    }

    public Portal portalOf(String accessToken) {
        JsonNode info = send(HttpRequest.newBuilder(api("/oauth/v1/access-tokens/" + encode(accessToken))).GET(),
                "token info");
        if (!info.path("hub_id").canConvertToLong() || info.path("hub_id").asLong() <= 0) {
            throw new HubSpotApiException(502, "INVALID_RESPONSE", "HubSpot's token info has no hub_id");
        }
        return new Portal(info.path("hub_id").asLong(), info.path("hub_domain").asText(""));
    }

    /** Best effort: a disconnect must not fail because HubSpot is unreachable. */
    public boolean revoke(String refreshToken) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    api("/oauth/v1/refresh-tokens/" + encode(refreshToken))).DELETE());
            metrics.providerAnswered("hubspot", response.statusCode());
            return response.statusCode() / 100 == 2;
        } catch (IOException e) {
            metrics.providerUnreachable("hubspot");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HubSpotTokens tokenGrant(Map<String, String> grant, String currentRefreshToken) {
        Map<String, String> body = new LinkedHashMap<>(grant);
        body.put("client_id", properties.clientId());
        body.put("client_secret", properties.clientSecret());
        body.put("redirect_uri", properties.redirectUri());
        HttpRequest.Builder request = HttpRequest.newBuilder(api(properties.tokenPath()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(body)));
        JsonNode token;
        try {
            token = send(request, "token");
        } catch (HubSpotApiException e) {
            if (currentRefreshToken != null && ("invalid_grant".equals(e.category())
                    || "BAD_REFRESH_TOKEN".equals(e.category()))) {
                throw new ReauthRequiredException("HubSpot refused the refresh token (" + e.category()
                        + "): connect the portal again");
            }
            throw e;
        }
        String access = token.path("access_token").asText("");
        long expiresIn = token.path("expires_in").asLong(0);
        if (access.isEmpty() || expiresIn <= 0) {
            throw new HubSpotApiException(502, "INVALID_RESPONSE", "HubSpot's token response lacks access_token or expires_in");
        }
        String refresh = token.path("refresh_token").asText(currentRefreshToken == null ? "" : currentRefreshToken);
        return new HubSpotTokens(access, refresh, clock.instant().plusSeconds(expiresIn));
    }

    private JsonNode send(HttpRequest.Builder request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request);
        } catch (IOException e) {
            metrics.providerUnreachable("hubspot");
            throw new HubSpotApiException(503, "UNREACHABLE", "HubSpot's " + what + " endpoint " + http.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubSpotApiException(503, "INTERRUPTED", "interrupted calling HubSpot's " + what + " endpoint");
        }
        metrics.providerAnswered("hubspot", response.statusCode());
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            // HubSpot's OAuth errors name the problem in status (BAD_REFRESH_TOKEN) and/or error (invalid_grant).
            String category = body.path("error").asText(body.path("status").asText("HTTP_" + response.statusCode()));
            if (body.path("status").asText("").startsWith("BAD_")) {
                category = body.path("status").asText();
            }
            throw new HubSpotApiException(response.statusCode(), category, "HubSpot's " + what + " endpoint answered "
                    + response.statusCode() + " " + category + ": " + SafeText.scrub(body.path("message").asText("")));
        }
        return body;
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    private URI api(String path) {
        return URI.create(properties.apiBaseUrl() + path);
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
