package io.tributary.salesforce;

import io.tributary.integration.IntegrationRepository;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Answers the "login" of this node's camel-salesforce components with the org's stored session,
 * in Salesforce's token response shape, and records on the component which access token it was
 * given — so a 401 on it can be matched to the token that was refused.
 */
@Component
public class SalesforceSessionBroker {

    /** Where the components log in; followed by the integration id, the component's name and /services/oauth2/token. */
    public static final String PATH = "/internal/salesforce-sessions/";

    private final IntegrationRepository integrations;
    private final SalesforceComponents components;
    private final Clock clock;

    public SalesforceSessionBroker(IntegrationRepository integrations, SalesforceComponents components, Clock clock) {
        this.integrations = integrations;
        this.components = components;
        this.clock = clock;
    }

    /**
     * The token response for that org's component; empty when the secret is not this node's, the
     * component is not one of this org's live ones, or the org has no session.
     */
    public Optional<Map<String, Object>> session(UUID integrationId, String component, String clientSecret) {
        if (!components.isOwnComponent(clientSecret)) {
            return Optional.empty();
        }
        return integrations.findWithSecrets(integrationId)
                .filter(found -> found.integration().isConnected() && !found.secrets().current().isEmpty())
                .map(found -> SalesforceTokens.fromSecrets(found.secrets().current()))
                .filter(tokens -> components.handedOut(integrationId, component, tokens.accessToken()))
                .map(tokens -> {
                    Map<String, Object> response = new LinkedHashMap<>();
                    response.put("access_token", tokens.accessToken());
                    response.put("instance_url", tokens.instanceUrl());
                    response.put("id", tokens.identityUrl());
                    response.put("token_type", "Bearer");
                    response.put("issued_at", Long.toString(clock.millis()));
                    response.put("signature", "");
                    return response;
                });
    }
}
