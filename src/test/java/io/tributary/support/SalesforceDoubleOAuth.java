package io.tributary.support;

import static io.tributary.support.SalesforceDouble.CLIENT_ID;
import static io.tributary.support.SalesforceDouble.CLIENT_SECRET;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.support.SalesforceDouble.Call;
import io.tributary.support.SalesforceDouble.Org;
import io.tributary.support.SalesforceDoubleReply.Rejected;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Salesforce's OAuth side on the login host: the authorize redirect, one-time codes bound to a
 * PKCE S256 challenge, the token endpoint (authorization_code and refresh_token grants, with
 * refresh-token rotation when on), revocation, the identity URL, and the bearer check every REST
 * request passes. Tokens carry no lifetime: they work until the test expires or revokes them.
 */
final class SalesforceDoubleOAuth {

    static final String SCOPE = "refresh_token api id";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";

    /** One approval: the refresh token (the current one, under rotation) and the access tokens it gave. */
    private static final class Grant {
        final Org org;
        String refreshToken;
        boolean revoked;
        final Set<Access> accessTokens = new HashSet<>();

        Grant(Org org) {
            this.org = org;
        }
    }

    private static final class Access {
        final String value;
        final Grant grant;
        boolean expired;

        Access(String value, Grant grant) {
            this.value = value;
            this.grant = grant;
        }
    }

    private record Code(Org org, String challenge, String redirectUri) {
    }

    private final SalesforceDouble salesforce;
    private final Map<String, Code> codes = new HashMap<>();
    private final Map<String, Access> accessTokens = new HashMap<>();
    /** Every refresh token ever issued, rotated-out ones too, to the grant it belongs to. */
    private final Map<String, Grant> refreshTokens = new HashMap<>();
    private final List<String> revoked = new ArrayList<>();
    private final Map<String, Integer> grants = new HashMap<>();
    private final Set<Access> expiring = new LinkedHashSet<>();
    private int requestsBeforeExpiry;
    private boolean rotation;
    private Org consenting;

    SalesforceDoubleOAuth(SalesforceDouble salesforce) {
        this.salesforce = salesforce;
    }

    /** Every access and refresh token ever issued (rotated-out and expired ones too). */
    synchronized Set<String> issued() {
        Set<String> issued = new HashSet<>(accessTokens.keySet());
        issued.addAll(refreshTokens.keySet());
        return issued;
    }

    synchronized String issueCode(Org org, String challenge, String redirectUri) {
        String code = "aPrx" + token(60);
        codes.put(code, new Code(org, challenge, redirectUri));
        return code;
    }

    synchronized void consentAs(Org org) {
        consenting = org;
    }

    synchronized void setRotation(boolean on) {
        rotation = on;
    }

    synchronized void expireAll() {
        accessTokens.values().forEach(access -> access.expired = true);
        expiring.clear();
    }

    synchronized void expireAfter(int requests) {
        expiring.clear();
        accessTokens.values().stream().filter(access -> !access.expired).forEach(expiring::add);
        requestsBeforeExpiry = requests;
    }

    synchronized void revokeAll() {
        refreshTokens.values().forEach(grant -> grant.revoked = true);
    }

    synchronized int grants(String grantType) {
        return grants.getOrDefault(grantType, 0);
    }

    synchronized List<String> revoked() {
        return List.copyOf(revoked);
    }

    synchronized void reset() {
        codes.clear();
        accessTokens.clear();
        refreshTokens.clear();
        revoked.clear();
        grants.clear();
        expiring.clear();
        rotation = false;
        consenting = null;
    }

    /**
     * GET /services/oauth2/authorize: the consenting org's user (by default the first org) approves
     * at once and is sent back to redirect_uri with a code bound to the PKCE challenge and the
     * redirect_uri; with no org, the user declines.
     */
    synchronized SalesforceDoubleReply authorize(Call call) {
        Map<String, String> query = form(call.query());
        String redirect = query.getOrDefault("redirect_uri", "");
        if (!CLIENT_ID.equals(query.get("client_id"))) {
            // Salesforce shows an error page rather than redirecting to an unverified callback.
            return SalesforceDoubleReply.text(400, "error=invalid_client_id&error_description=client%20identifier%20invalid");
        }
        if (redirect.isBlank()) {
            return SalesforceDoubleReply.text(400, "error=redirect_uri_missing&error_description=redirect_uri%20must%20be%20provided");
        }
        String answer;
        Org org = consenting != null ? consenting : salesforce.firstOrg();
        String method = query.getOrDefault("code_challenge_method", "S256");
        if (!"code".equals(query.get("response_type"))) {
            answer = "error=unsupported_response_type&error_description=" + encode("response type not supported");
        } else if (query.containsKey("code_challenge") && !method.equals("S256")) {
            answer = "error=invalid_request&error_description=" + encode("invalid code_challenge_method");
        } else if (org == null) {
            answer = "error=access_denied&error_description=" + encode("end-user denied authorization");
        } else {
            answer = "code=" + encode(issueCode(org, query.get("code_challenge"), redirect));
        }
        if (query.containsKey("state")) {
            answer += "&state=" + encode(query.get("state"));
        }
        String location = redirect + (redirect.contains("?") ? "&" : "?") + answer;
        return SalesforceDoubleReply.empty(302).withHeader("Location", location);
    }

    /** POST /services/oauth2/token: form-encoded authorization_code and refresh_token grants. */
    synchronized SalesforceDoubleReply token(Call call) {
        Map<String, String> form = form(call.query());
        form.putAll(form(call.body()));
        String[] basic = basicCredentials(call.authorization());
        if (basic != null) {
            form.putIfAbsent("client_id", basic[0]);
            form.putIfAbsent("client_secret", basic[1]);
        }
        String format = form.getOrDefault("format", "json");
        if (!format.equals("json")) {
            return SalesforceDoubleReply.oauthError("invalid_request", "the Salesforce double answers format=json only");
        }
        String grant = form.get("grant_type");
        if (grant == null || grant.isBlank()) {
            return SalesforceDoubleReply.oauthError("invalid_request", "grant type is missing");
        }
        if (!grant.equals("authorization_code") && !grant.equals("refresh_token")) {
            return SalesforceDoubleReply.oauthError("unsupported_grant_type", "grant type not supported");
        }
        if (!CLIENT_ID.equals(form.get("client_id"))) {
            return SalesforceDoubleReply.oauthError("invalid_client_id", "client identifier invalid");
        }
        if (!CLIENT_SECRET.equals(form.get("client_secret"))) {
            return SalesforceDoubleReply.oauthError("invalid_client", "invalid client credentials");
        }
        Grant approval;
        boolean newRefreshToken;
        if (grant.equals("authorization_code")) {
            // One use only, whatever the outcome: a replayed code is as unknown as a made-up one.
            Code code = codes.remove(form.getOrDefault("code", ""));
            if (code == null) {
                return SalesforceDoubleReply.oauthError("invalid_grant", "invalid authorization code");
            }
            String redirect = form.get("redirect_uri");
            if (redirect == null || redirect.isBlank()
                    || code.redirectUri() != null && !code.redirectUri().equals(redirect)) {
                return SalesforceDoubleReply.oauthError("redirect_uri_mismatch", "redirect_uri must match configuration");
            }
            if (code.challenge() != null && !code.challenge().equals(challengeOf(form.get("code_verifier")))) {
                return SalesforceDoubleReply.oauthError("invalid_grant", "invalid code verifier");
            }
            approval = new Grant(code.org());
            newRefreshToken = true;
        } else {
            String presented = form.getOrDefault("refresh_token", "");
            approval = refreshTokens.get(presented);
            if (approval == null) {
                return SalesforceDoubleReply.oauthError("invalid_grant", "authentication failure");
            }
            if (approval.revoked) {
                return SalesforceDoubleReply.oauthError("invalid_grant", "expired access/refresh token");
            }
            if (!presented.equals(approval.refreshToken)) {
                // A rotated-out token came back: Salesforce then revokes the current one and its sessions too.
                revoke(approval);
                return SalesforceDoubleReply.oauthError("invalid_grant", "expired access/refresh token");
            }
            newRefreshToken = rotation;
        }
        if (newRefreshToken) {
            approval.refreshToken = "5Aep861" + token(80);
            refreshTokens.put(approval.refreshToken, approval);
        }
        Org org = approval.org;
        Access access = new Access(org.orgId().substring(0, 15) + "!" + token(96), approval);
        accessTokens.put(access.value, access);
        approval.accessTokens.add(access);
        grants.merge(grant, 1, Integer::sum);
        String id = salesforce.baseUrl() + "/id/" + org.orgId() + "/" + org.userId();
        String issuedAt = Long.toString(System.currentTimeMillis());
        ObjectNode body = SalesforceDoubleReply.JSON.createObjectNode().put("access_token", access.value);
        if (newRefreshToken) {
            body.put("refresh_token", approval.refreshToken);
        }
        body.put("signature", signature(id, issuedAt)).put("scope", SCOPE).put("instance_url", salesforce.baseUrl())
                .put("id", id).put("token_type", "Bearer").put("issued_at", issuedAt);
        return SalesforceDoubleReply.json(200, body);
    }

    /**
     * POST (form) or GET (query) /services/oauth2/revoke with token=: a refresh token stops working
     * with every access token it gave; an access token stops working alone. Unknown: 400.
     */
    synchronized SalesforceDoubleReply revoke(Call call) {
        Map<String, String> form = form(call.query());
        if ("POST".equals(call.method())) {
            form.putAll(form(call.body()));
        }
        String token = form.getOrDefault("token", "");
        Grant grant = refreshTokens.get(token);
        Access access = accessTokens.get(token);
        if (grant == null && access == null) {
            return SalesforceDoubleReply.oauthError("invalid_token", "invalid token");
        }
        if (grant != null) {
            revoke(grant);
        } else {
            access.expired = true;
        }
        revoked.add(token);
        return SalesforceDoubleReply.empty(200);
    }

    /** The org a REST request's bearer token belongs to; a 401 as Salesforce gives when it has none that works. */
    /** The org whose access token the header carries (expired or not), or null; changes nothing. */
    synchronized Org ownerOf(String authorization) {
        String token = bearer(authorization);
        Access access = token == null ? null : accessTokens.get(token);
        return access == null ? null : access.grant.org;
    }

    synchronized Org authenticate(String authorization, boolean countsTowardExpiry) {
        String token = bearer(authorization);
        if (token == null) {
            throw SalesforceDoubleReply.rejected(401, "INVALID_AUTH_HEADER", "INVALID_HEADER_TYPE");
        }
        Access access = accessTokens.get(token);
        if (access != null && !access.expired && countsTowardExpiry && expiring.contains(access)) {
            if (requestsBeforeExpiry == 0) {
                expiring.forEach(doomed -> doomed.expired = true);
                expiring.clear();
            } else {
                requestsBeforeExpiry--;
            }
        }
        if (access == null || access.expired) {
            throw new Rejected(SalesforceDoubleReply.error(401, "INVALID_SESSION_ID", "Session expired or invalid")
                    .withHeader("WWW-Authenticate", "Token"));
        }
        return access.grant.org;
    }

    /** GET /id/{orgId}/{userId}: who the token's user is, in the identity service's shape. */
    synchronized SalesforceDoubleReply identity(Call call) {
        Map<String, String> query = form(call.query());
        String token = bearer(call.authorization());
        if (token == null) {
            token = query.getOrDefault("oauth_token", query.get("access_token"));
        }
        Access access = token == null ? null : accessTokens.get(token);
        if (access == null || access.expired) {
            return SalesforceDoubleReply.text(403, "Bad_OAuth_Token");
        }
        String[] segments = call.path().split("/");
        Org org = access.grant.org;
        if (segments.length != 4) {
            return SalesforceDoubleReply.text(404, "Bad_Id");
        }
        if (!segments[2].equals(org.orgId()) && !segments[2].equals(org.orgId().substring(0, 15))) {
            return SalesforceDoubleReply.text(403, "Wrong_Org");
        }
        if (!segments[3].equals(org.userId()) && !segments[3].equals(org.userId().substring(0, 15))) {
            return SalesforceDoubleReply.text(404, "Bad_Id");
        }
        String version = query.getOrDefault("version", "{version}");
        if (version.equals("latest")) {
            version = SalesforceDouble.API_VERSION;
        }
        String base = salesforce.baseUrl();
        String username = "admin@" + org.orgId().toLowerCase() + ".example.com";
        ObjectNode body = SalesforceDoubleReply.JSON.createObjectNode()
                .put("id", base + "/id/" + org.orgId() + "/" + org.userId()).put("asserted_user", true)
                .put("user_id", org.userId()).put("organization_id", org.orgId()).put("username", username)
                .put("nick_name", "admin").put("display_name", "Admin User").put("email", username)
                .put("email_verified", true).put("first_name", "Admin").put("last_name", "User")
                .put("timezone", "America/Los_Angeles").put("active", true).put("user_type", "STANDARD")
                .put("language", "en_US").put("locale", "en_US").put("utcOffset", -28_800_000)
                .put("last_modified_date", "2026-01-01T00:00:00Z").put("is_app_installed", true);
        body.putObject("urls")
                .put("enterprise", base + "/services/Soap/c/" + version + "/" + org.orgId().substring(0, 15))
                .put("metadata", base + "/services/Soap/m/" + version + "/" + org.orgId().substring(0, 15))
                .put("partner", base + "/services/Soap/u/" + version + "/" + org.orgId().substring(0, 15))
                .put("rest", base + "/services/data/v" + version + "/")
                .put("sobjects", base + "/services/data/v" + version + "/sobjects/")
                .put("search", base + "/services/data/v" + version + "/search/")
                .put("query", base + "/services/data/v" + version + "/query/")
                .put("recent", base + "/services/data/v" + version + "/recent/")
                .put("profile", base + "/" + org.userId().substring(0, 15));
        return SalesforceDoubleReply.json(200, body);
    }

    private void revoke(Grant grant) {
        grant.revoked = true;
        grant.accessTokens.forEach(access -> access.expired = true);
    }

    /** BASE64URL(SHA256(verifier)) without padding, as RFC 7636's S256 method asks. */
    static String challengeOf(String verifier) {
        if (verifier == null) {
            return null;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token response's signature: Base64 HMAC-SHA256 of id + issued_at, keyed with the client secret. */
    static String signature(String id, String issuedAt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(CLIENT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((id + issuedAt).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bearer (or Salesforce's older "OAuth") token of an Authorization header, or null. */
    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        for (String scheme : new String[] {"Bearer ", "OAuth "}) {
            if (authorization.regionMatches(true, 0, scheme, 0, scheme.length())) {
                String token = authorization.substring(scheme.length()).trim();
                return token.isEmpty() ? null : token;
            }
        }
        return null;
    }

    private static String[] basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String token(int length) {
        StringBuilder token = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            token.append(TOKEN_CHARS.charAt(RANDOM.nextInt(TOKEN_CHARS.length())));
        }
        return token.toString();
    }

    static Map<String, String> form(String encoded) {
        Map<String, String> fields = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            fields.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return fields;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
