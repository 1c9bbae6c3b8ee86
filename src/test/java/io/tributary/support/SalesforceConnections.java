package io.tributary.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** Walks Salesforce's OAuth (PKCE) connect over HTTP, the way a browser would, against the double. */
public final class SalesforceConnections {

    private SalesforceConnections() {
    }

    /** The authorize URL's parameters of a fresh connect, with "@host" its scheme and host. */
    public static Map<String, String> authorize(Api api, String query) {
        Api.Response started = api.send(api.request("/app/integrations/salesforce/connect?" + query)
                .header("Accept", "application/json").GET());
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        URI authorize = URI.create(started.json().get("authorize_url").asText());
        assertThat(authorize.getPath()).isEqualTo("/services/oauth2/authorize");
        Map<String, String> parameters = new LinkedHashMap<>(HubSpotConnections.query(authorize));
        parameters.put("@host", authorize.getScheme() + "://" + authorize.getAuthority());
        return parameters;
    }

    /** Connects the org to the workspace (query: the connect's environment and name); returns the integration id. */
    public static String connect(Api api, SalesforceDouble salesforce, SalesforceDouble.Org org, String query) {
        Map<String, String> authorize = authorize(api, query);
        Api.Response done = api.as(null).get("/app/integrations/salesforce/callback?code="
                + salesforce.issueCode(org, authorize.get("code_challenge")) + "&state=" + authorize.get("state"));
        assertThat(done.status()).as(done.toString()).isEqualTo(302);
        Map<String, String> redirect = HubSpotConnections.query(URI.create(done.header("Location")));
        assertThat(redirect).as(done.header("Location")).containsEntry("connected", "salesforce");
        return redirect.get("integration_id");
    }
}
