package io.tributary.salesforce;

import io.tributary.integration.TokenRefresher;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Refreshes an org's session after a 401, once across every node, keeping a rotated refresh token. */
@Component
public class SalesforceAccessTokens {

    private final TokenRefresher refresher;
    private final SalesforceOAuthClient oauth;

    public SalesforceAccessTokens(TokenRefresher refresher, SalesforceOAuthClient oauth) {
        this.refresher = refresher;
        this.oauth = oauth;
    }

    /** Refreshes unless another thread or node already replaced the refused access token. */
    public void afterUnauthorized(UUID integrationId, String refusedAccessToken) {
        refresher.refreshIf(integrationId,
                stored -> refusedAccessToken == null || refusedAccessToken.equals(stored.get("access_token")),
                stored -> oauth.refresh(SalesforceTokens.fromSecrets(stored)).toSecrets());
    }
}
