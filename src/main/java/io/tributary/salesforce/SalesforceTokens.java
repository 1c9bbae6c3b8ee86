package io.tributary.salesforce;

import java.util.HashMap;
import java.util.Map;

/**
 * One org's OAuth session, kept sealed in the integration's credentials: Salesforce gives no
 * expires_in, so the access token is used until a 401 says otherwise.
 */
public record SalesforceTokens(String accessToken, String refreshToken, String instanceUrl, String identityUrl,
                               String loginUrl) {

    public static SalesforceTokens fromSecrets(Map<String, String> secrets) {
        return new SalesforceTokens(secrets.get("access_token"), secrets.get("refresh_token"),
                secrets.get("instance_url"), secrets.get("identity_url"), secrets.get("login_url"));
    }

    public Map<String, String> toSecrets() {
        Map<String, String> secrets = new HashMap<>();
        secrets.put("access_token", accessToken);
        secrets.put("refresh_token", refreshToken);
        secrets.put("instance_url", instanceUrl);
        secrets.put("identity_url", identityUrl);
        secrets.put("login_url", loginUrl);
        return secrets;
    }

    @Override
    public String toString() {
        return "SalesforceTokens[instanceUrl=" + instanceUrl + "]";
    }
}
