package io.tributary.hubspot;

import io.tributary.integration.IntegrationRepository;
import io.tributary.integration.ReauthRequiredException;
import io.tributary.integration.TokenRefresher;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * Hands out a valid access token per portal: refreshed when less than the margin remains of the
 * stored expires_in, or after a 401 — through the TokenRefresher, so once across every node.
 */
@Component
public class HubSpotAccessTokens {

    private final IntegrationRepository integrations;
    private final HubSpotOAuthClient oauth;
    private final HubSpotProperties properties;
    private final TokenRefresher refresher;
    private final Clock clock;

    public HubSpotAccessTokens(IntegrationRepository integrations, HubSpotOAuthClient oauth,
                               HubSpotProperties properties, TokenRefresher refresher, Clock clock) {
        this.integrations = integrations;
        this.oauth = oauth;
        this.properties = properties;
        this.refresher = refresher;
        this.clock = clock;
    }

    /** A token with more than the refresh margin left of its expires_in, refreshing first if needed. */
    public String accessToken(UUID integrationId) {
        HubSpotTokens stored = integrations.findWithSecrets(integrationId)
                .filter(found -> !found.secrets().current().isEmpty())
                .map(found -> HubSpotTokens.fromSecrets(found.secrets().current()))
                .orElseThrow(() -> new ReauthRequiredException("the integration is disconnected"));
        if (!expiringSoon(stored)) {
            return stored.accessToken();
        }
        return refreshIf(integrationId, this::expiringSoon);
    }

    /** After a 401: refresh unless another thread or node already replaced the rejected token. */
    public String afterUnauthorized(UUID integrationId, String rejectedToken) {
        return refreshIf(integrationId, tokens -> tokens.accessToken().equals(rejectedToken));
    }

    private boolean expiringSoon(HubSpotTokens tokens) {
        return !tokens.expiresAt().minus(properties.refreshMargin()).isAfter(clock.instant());
    }

    private String refreshIf(UUID integrationId, Predicate<HubSpotTokens> stillNeeded) {
        return HubSpotTokens.fromSecrets(refresher.refreshIf(integrationId,
                stored -> stillNeeded.test(HubSpotTokens.fromSecrets(stored)),
                stored -> oauth.refresh(HubSpotTokens.fromSecrets(stored).refreshToken()).toSecrets())).accessToken();
    }
}
