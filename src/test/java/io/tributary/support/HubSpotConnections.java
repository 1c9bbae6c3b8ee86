package io.tributary.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Walks HubSpot's OAuth connect over HTTP, the way a browser would, against the double. */
public final class HubSpotConnections {

    private HubSpotConnections() {
    }

    /** The state Tributary put into the authorize URL of a fresh connect. */
    public static String startConnect(Api api, String name) {
        Api.Response started = api.send(api.request("/app/integrations/hubspot/connect"
                + (name == null ? "" : "?name=" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)))
                .header("Accept", "application/json").GET());
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        return query(URI.create(started.json().get("authorize_url").asText())).get("state");
    }

    /** The callback's answer to a state and code, as HubSpot's redirect would deliver them. */
    public static Api.Response callback(Api anonymous, String state, String code) {
        return anonymous.get("/app/integrations/hubspot/callback?code=" + code + "&state=" + state);
    }

    /** Connects the portal to the workspace; returns the integration id. */
    public static String connect(Api api, HubSpotDouble hubSpot, HubSpotDouble.Portal portal, String name) {
        String state = startConnect(api, name);
        Api.Response done = callback(api.as(null), state, hubSpot.issueCode(portal));
        assertThat(done.status()).as(done.toString()).isEqualTo(302);
        Map<String, String> redirect = query(URI.create(done.header("Location")));
        assertThat(redirect).as(done.header("Location")).containsEntry("connected", "hubspot");
        return redirect.get("integration_id");
    }

    public static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] parts = pair.split("=", 2);
                parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        return parameters;
    }
}
