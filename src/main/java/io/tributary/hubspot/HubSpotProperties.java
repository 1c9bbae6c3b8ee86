package io.tributary.hubspot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** tributary.hubspot.*: see config/application.yaml for what each one means. */
@ConfigurationProperties("tributary.hubspot")
public record HubSpotProperties(String clientId, String clientSecret, String redirectUri, String authBaseUrl,
                                String apiBaseUrl, String tokenPath, String scopes, Duration stateTtl,
                                Duration refreshMargin, String cron, Duration lookback, Duration initialWindow,
                                int pageSize, int requestsPerTenSeconds, int searchesPerSecond, int maxAttempts,
                                Duration retryBackoff, Duration requestTimeout,
                                Map<String, List<String>> properties) {

    public HubSpotProperties {
        if (pageSize < 1 || pageSize > 200) {
            throw new IllegalArgumentException("tributary.hubspot.page-size must be 1..200 (HubSpot's search limit)");
        }
    }

    /** The properties to request for an object (companies, contacts, deals). */
    public List<String> propertiesOf(HubSpotObject object) {
        return properties == null ? List.of() : properties.getOrDefault(object.plural(), List.of());
    }
}
