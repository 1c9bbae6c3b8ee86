package io.tributary.hubspot;

import java.time.Instant;
import java.util.Map;

/** The OAuth tokens of one connected portal, as kept (sealed) in the integration's credentials. */
public record HubSpotTokens(String accessToken, String refreshToken, Instant expiresAt) {

    private static final String ACCESS = "access_token";
    private static final String REFRESH = "refresh_token";
    private static final String EXPIRES_AT = "expires_at";

    public static HubSpotTokens fromSecrets(Map<String, String> secrets) {
        String expiresAt = secrets.get(EXPIRES_AT);
        return new HubSpotTokens(secrets.get(ACCESS), secrets.get(REFRESH),
                expiresAt == null ? Instant.EPOCH : Instant.ofEpochSecond(Long.parseLong(expiresAt)));
    }

    public Map<String, String> toSecrets() {
        return Map.of(ACCESS, accessToken, REFRESH, refreshToken, EXPIRES_AT, Long.toString(expiresAt.getEpochSecond()));
    }

    @Override
    public String toString() {
        return "HubSpotTokens[expiresAt=" + expiresAt + "]";
    }
}
