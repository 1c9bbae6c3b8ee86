package io.tributary.integration;

import io.tributary.common.TributaryMetrics;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Refreshes an integration's OAuth secrets under its row lock, re-checking the stored secrets
 * first, so concurrent callers on any node refresh once, never twice. A provider that refuses the
 * refresh token (ReauthRequiredException) leaves the integration reauth_required, its schedule paused.
 */
@Component
public class TokenRefresher {

    private final IntegrationRepository integrations;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final TributaryMetrics metrics;

    public TokenRefresher(IntegrationRepository integrations, TransactionTemplate transaction,
                          ApplicationEventPublisher events, TributaryMetrics metrics) {
        this.integrations = integrations;
        this.transaction = transaction;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * The secrets after a refresh — or as stored, when stillNeeded says another caller already
     * refreshed them. refresh maps the locked secrets to the new ones (rotated refresh token included).
     */
    public Map<String, String> refreshIf(UUID integrationId, Predicate<Map<String, String>> stillNeeded,
                                         UnaryOperator<Map<String, String>> refresh) {
        try {
            return transaction.execute(status -> {
                Map<String, String> stored = integrations.lockSecrets(integrationId)
                        .orElseThrow(() -> new ReauthRequiredException("the integration was disconnected"));
                if (!stillNeeded.test(stored)) {
                    return stored;
                }
                Map<String, String> fresh = counted(integrationId, stored, refresh);
                integrations.replaceSecrets(integrationId, fresh);
                return fresh;
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

    /** Only refreshes that reach the provider are counted, not callers who found a fresh token already. */
    private Map<String, String> counted(UUID integrationId, Map<String, String> stored,
                                        UnaryOperator<Map<String, String>> refresh) {
        String provider = integrations.find(integrationId).map(Integration::provider).orElse("unknown");
        try {
            Map<String, String> fresh = refresh.apply(stored);
            metrics.tokenRefreshed(provider, TributaryMetrics.REFRESH_SUCCESS);
            return fresh;
        } catch (ReauthRequiredException e) {
            metrics.tokenRefreshed(provider, TributaryMetrics.REFRESH_REAUTH_REQUIRED);
            throw e;
        } catch (RuntimeException e) {
            metrics.tokenRefreshed(provider, TributaryMetrics.REFRESH_ERROR);
            throw e;
        }
    }
}
