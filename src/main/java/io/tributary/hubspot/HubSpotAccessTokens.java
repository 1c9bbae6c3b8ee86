package io.tributary.hubspot;

import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationRepository;
import io.tributary.integration.IntegrationStatusChanged;
import io.tributary.integration.ReauthRequiredException;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hands out a valid access token per portal. A refresh happens under the integration's row lock and
 * re-checks the stored tokens first, so concurrent syncs on any node refresh once, never twice.
 */
@Component
public class HubSpotAccessTokens {

    private final IntegrationRepository integrations;
    private final HubSpotOAuthClient oauth;
    private final HubSpotProperties properties;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public HubSpotAccessTokens(IntegrationRepository integrations, HubSpotOAuthClient oauth,
                               HubSpotProperties properties, TransactionTemplate transaction,
                               ApplicationEventPublisher events, Clock clock) {
        this.integrations = integrations;
        this.oauth = oauth;
        this.properties = properties;
        this.transaction = transaction;
        this.events = events;
        this.clock = clock;
    }

    /** A token with more than the refresh margin left of its expires_in, refreshing first if needed. */
    public String accessToken(UUID integrationId) {
        HubSpotTokens stored = integrations.findWithSecrets(integrationId)
                .map(found -> HubSpotTokens.fromSecrets(found.secrets().current()))
                .orElseThrow(() -> new ReauthRequiredException("the integration no longer exists"));
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
        try {
            return transaction.execute(status -> {
                HubSpotTokens tokens = HubSpotTokens.fromSecrets(integrations.lockSecrets(integrationId)
                        .orElseThrow(() -> new ReauthRequiredException("the integration was disconnected")));
                if (!stillNeeded.test(tokens)) {
                    return tokens.accessToken();
                }
                HubSpotTokens fresh = oauth.refresh(tokens.refreshToken());
                integrations.replaceSecrets(integrationId, fresh.toSecrets());
                return fresh.accessToken();
            });
        } catch (ReauthRequiredException e) {
            // Outside the refresh transaction, which rolled back: the pause must stick.
            if (integrations.find(integrationId).filter(Integration::isConnected).isPresent()) {
                integrations.setStatus(integrationId, Integration.REAUTH_REQUIRED);
                events.publishEvent(new IntegrationStatusChanged(integrationId));
            }
            throw e;
        }
    }
}
