package io.tributary.salesforce;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** tributary.salesforce.*: see config/application.yaml for what each one means. */
@ConfigurationProperties("tributary.salesforce")
public record SalesforceProperties(String clientId, String clientSecret, String redirectUri,
                                   String productionLoginUrl, String sandboxLoginUrl,
                                   List<String> allowedDomainSuffixes, String scopes, String apiVersion,
                                   Duration stateTtl, String cron, String nightlyCron, String defaultBackfill,
                                   int queryBatchSize, int apiReservePercent, Duration requestTimeout,
                                   int maxAttempts, Duration retryBackoff,
                                   Map<String, List<String>> fields) {

    /** The fields selected for an object (accounts, person_accounts, contacts). */
    public List<String> fieldsOf(String object) {
        return fields == null ? List.of() : fields.getOrDefault(object, List.of());
    }
}
