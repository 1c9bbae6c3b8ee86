package io.tributary.support;

import static io.tributary.support.HubSpotDouble.CLIENT_ID;
import static io.tributary.support.HubSpotDouble.CLIENT_SECRET;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.support.HubSpotDouble.Call;
import io.tributary.support.HubSpotDouble.Portal;
import io.tributary.support.HubSpotDoubleReply.Rejected;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * HubSpot's OAuth side: the consent page, one-time codes, access and refresh tokens (v1 endpoints,
 * the token one also at /oauth/2026-03/token), token info, refresh-token revocation, and the
 * bearer check every CRM request passes.
 */
final class HubSpotDoubleOAuth {

    static final int DEFAULT_LIFETIME_SECONDS = 1800;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final class AccessToken {
        final String value;
        final Portal portal;
        final Instant expiresAt;
        Instant expiredAt;

        AccessToken(String value, Portal portal, Instant expiresAt) {
            this.value = value;
            this.portal = portal;
            this.expiresAt = expiresAt;
        }

        /** When it stopped working, or null while it works. */
        Instant expiry(Instant now) {
            return expiredAt != null ? expiredAt : now.isBefore(expiresAt) ? null : expiresAt;
        }
    }

    private final HubSpotDouble hubspot;
    private final Map<String, Portal> codes = new HashMap<>();
    private final Map<String, AccessToken> accessTokens = new HashMap<>();
    /** Live refresh tokens; revoking one removes it, so it then looks unknown, as it does to HubSpot. */
    private final Map<String, Portal> refreshTokens = new HashMap<>();
    private final List<String> revokedViaApi = new ArrayList<>();
    /** Every access and refresh token ever handed out, for tests that look for leaks. */
    private final Set<String> issued = new HashSet<>();
    private final Map<String, Integer> grants = new HashMap<>();
    private final Set<AccessToken> expiring = new HashSet<>();
    private int requestsBeforeExpiry;
    private int lifetimeSeconds = DEFAULT_LIFETIME_SECONDS;
    private Portal consenting;

    HubSpotDoubleOAuth(HubSpotDouble hubspot) {
        this.hubspot = hubspot;
    }

    synchronized String issueCode(Portal portal) {
        String code = UUID.randomUUID().toString();
        codes.put(code, portal);
        return code;
    }

    synchronized void consentAs(Portal portal) {
        consenting = portal;
    }

    synchronized void setLifetime(int seconds) {
        lifetimeSeconds = seconds;
    }

    synchronized void expireAll() {
        Instant now = Instant.now();
        accessTokens.values().stream().filter(token -> token.expiredAt == null).forEach(token -> token.expiredAt = now);
        expiring.clear();
    }

    synchronized void expireAfter(int requests) {
        Instant now = Instant.now();
        expiring.clear();
        accessTokens.values().stream().filter(token -> token.expiry(now) == null).forEach(expiring::add);
        requestsBeforeExpiry = requests;
    }

    synchronized void revokeAll() {
        refreshTokens.clear();
    }

    synchronized int grants(String grantType) {
        return grants.getOrDefault(grantType, 0);
    }

    synchronized Set<String> issued() {
        return Set.copyOf(issued);
    }

    synchronized List<String> revokedViaApi() {
        return List.copyOf(revokedViaApi);
    }

    synchronized void reset() {
        codes.clear();
        accessTokens.clear();
        refreshTokens.clear();
        revokedViaApi.clear();
        issued.clear();
        grants.clear();
        expiring.clear();
        lifetimeSeconds = DEFAULT_LIFETIME_SECONDS;
        consenting = null;
    }

    /** GET /oauth/authorize: the user of the consenting portal approves at once; with none, they decline. */
    synchronized HubSpotDoubleReply authorize(Call call) {
        Map<String, String> query = form(call.query());
        String redirect = query.getOrDefault("redirect_uri", "");
        if (!CLIENT_ID.equals(query.get("client_id")) || redirect.isBlank()) {
            return HubSpotDoubleReply.error(400, "VALIDATION_ERROR", "Unknown client_id or missing redirect_uri");
        }
        String answer = consenting == null ? "error=access_denied&error_description=" + encode("The user declined")
                : "code=" + encode(issueCode(consenting));
        if (query.containsKey("state")) {
            answer += "&state=" + encode(query.get("state"));
        }
        String location = redirect + (redirect.contains("?") ? "&" : "?") + answer;
        return HubSpotDoubleReply.empty(302).withHeaders(Map.of("Location", location));
    }

    /** POST /oauth/v1/token: form-encoded authorization_code and refresh_token grants. */
    synchronized HubSpotDoubleReply token(Call call) {
        String mediaType = call.contentType() == null ? "" : call.contentType().split(";")[0].trim();
        if (!mediaType.equalsIgnoreCase("application/x-www-form-urlencoded")) {
            return HubSpotDoubleReply.error(415, null, "Unsupported Media Type: the token endpoint takes "
                    + "application/x-www-form-urlencoded");
        }
        Map<String, String> form = form(call.body());
        String grant = form.getOrDefault("grant_type", "");
        if (!grant.equals("authorization_code") && !grant.equals("refresh_token")) {
            return refused("BAD_GRANT_TYPE", "unsupported_grant_type", "missing or unknown grant type");
        }
        if (!CLIENT_ID.equals(form.get("client_id"))) {
            return refused("BAD_CLIENT_ID", "invalid_client", "missing or unknown client id");
        }
        if (!CLIENT_SECRET.equals(form.get("client_secret"))) {
            return refused("BAD_CLIENT_SECRET", "invalid_client", "missing or invalid client secret");
        }
        Portal portal;
        String refreshToken;
        if (grant.equals("authorization_code")) {
            if (form.getOrDefault("redirect_uri", "").isBlank()) {
                return refused("BAD_REDIRECT_URI", "invalid_request", "missing redirect uri");
            }
            // One use only: a replayed code is as unknown as a made-up one.
            portal = codes.remove(form.getOrDefault("code", ""));
            if (portal == null) {
                return refused("BAD_AUTH_CODE", "invalid_grant", "missing or unknown auth code");
            }
            refreshToken = "na1-" + UUID.randomUUID();
            refreshTokens.put(refreshToken, portal);
        } else {
            refreshToken = form.getOrDefault("refresh_token", "");
            portal = refreshTokens.get(refreshToken);
            if (portal == null) {
                return refused("BAD_REFRESH_TOKEN", "invalid_grant", "refresh token is invalid, expired or revoked");
            }
        }
        String access = newAccessToken();
        accessTokens.put(access, new AccessToken(access, portal, Instant.now().plusSeconds(lifetimeSeconds)));
        issued.add(access);
        issued.add(refreshToken);
        grants.merge(grant, 1, Integer::sum);
        ObjectNode body = HubSpotDoubleReply.JSON.createObjectNode().put("token_type", "bearer")
                .put("refresh_token", refreshToken).put("access_token", access).put("expires_in", lifetimeSeconds)
                .put("hub_id", portal.hubId()).put("token_use", "access_token");
        hubspot.scopes().forEach(body.putArray("scopes")::add);
        return HubSpotDoubleReply.json(200, body);
    }

    /** GET /oauth/v1/access-tokens/{token}: what the token is for, while it works. */
    synchronized HubSpotDoubleReply info(String token) {
        AccessToken known = accessTokens.get(token);
        Instant now = Instant.now();
        if (known == null || known.expiry(now) != null) {
            return HubSpotDoubleReply.error(404, "OBJECT_NOT_FOUND", "Token not found or expired");
        }
        Portal portal = known.portal;
        ObjectNode body = HubSpotDoubleReply.JSON.createObjectNode().put("token", token)
                .put("user", "admin@" + portal.hubDomain()).put("hub_domain", portal.hubDomain());
        hubspot.scopes().forEach(body.putArray("scopes")::add);
        body.put("hub_id", portal.hubId()).put("app_id", HubSpotDouble.APP_ID)
                .put("expires_in", Duration.between(now, known.expiresAt).toSeconds())
                .put("user_id", portal.userId()).put("token_type", "access").put("is_private_distribution", false);
        return HubSpotDoubleReply.json(200, body);
    }

    /** DELETE /oauth/v1/refresh-tokens/{token}: 204, and the refresh token stops working. */
    synchronized HubSpotDoubleReply revoke(String token) {
        if (refreshTokens.remove(token) == null) {
            return HubSpotDoubleReply.error(404, "OBJECT_NOT_FOUND", "Refresh token not found");
        }
        revokedViaApi.add(token);
        return HubSpotDoubleReply.empty(204);
    }

    /** The portal a CRM request's bearer token belongs to; a 401 when it has none that works. */
    /**
     * The portal whose access token the header carries (expired or not), or whose refresh token a
     * token request's form carries; else null. Changes nothing.
     */
    synchronized Portal ownerOf(String authorization, String body) {
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        AccessToken known = token == null ? null : accessTokens.get(token);
        if (known != null) {
            return known.portal;
        }
        String refreshToken = body == null ? null : form(body).get("refresh_token");
        return refreshToken == null ? null : refreshTokens.get(refreshToken);
    }

    synchronized Portal authenticate(String authorization) {
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        AccessToken known = token == null ? null : accessTokens.get(token);
        if (known == null) {
            throw new Rejected(HubSpotDoubleReply.error(401, "INVALID_AUTHENTICATION",
                    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can "
                            + "find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"));
        }
        Instant now = Instant.now();
        if (expiring.contains(known) && known.expiry(now) == null) {
            if (requestsBeforeExpiry == 0) {
                expiring.forEach(doomed -> doomed.expiredAt = now);
                expiring.clear();
            } else {
                requestsBeforeExpiry--;
            }
        }
        Instant expiredAt = known.expiry(now);
        if (expiredAt != null) {
            throw new Rejected(HubSpotDoubleReply.error(401, "EXPIRED_AUTHENTICATION",
                    "The OAuth token used to make this call expired " + Duration.between(expiredAt, now).toMinutes()
                            + " minute(s) ago."));
        }
        return known.portal;
    }

    /** HubSpot's token-endpoint refusal: its own status and message next to RFC 6749's error fields. */
    private static HubSpotDoubleReply refused(String status, String error, String message) {
        return HubSpotDoubleReply.json(400, HubSpotDoubleReply.JSON.createObjectNode().put("error", error)
                .put("error_description", message).put("status", status).put("message", message));
    }

    private static String newAccessToken() {
        byte[] bytes = new byte[96];
        RANDOM.nextBytes(bytes);
        return "CN" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> fields = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            fields.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return fields;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
