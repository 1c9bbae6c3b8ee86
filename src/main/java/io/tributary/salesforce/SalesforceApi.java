package io.tributary.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.common.Durations;
import io.tributary.common.SafeText;
import io.tributary.common.TributaryMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs camel-salesforce operations for one org with raw JSON payloads: query, queryAll and
 * queryMore. A 401 refreshes the session once and retries; no answer within the request timeout, no
 * connection or a 5xx is retried with backoff up to max-attempts; every answer reports the org's
 * daily API usage from Sforce-Limit-Info.
 */
@Component
public class SalesforceApi {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceApi.class);
    private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");

    /** A query page and the org's API usage after it (-1 when Salesforce did not say). */
    public record Answer(JsonNode body, long used, long max) {
    }

    private final SalesforceComponents components;
    private final SalesforceAccessTokens tokens;
    private final SalesforceProperties properties;
    private final ObjectMapper json;
    private final TributaryMetrics metrics;

    public SalesforceApi(SalesforceComponents components, SalesforceAccessTokens tokens,
                         SalesforceProperties properties, ObjectMapper json, TributaryMetrics metrics) {
        this.components = components;
        this.tokens = tokens;
        this.properties = properties;
        this.json = json;
        this.metrics = metrics;
    }

    /** The first page of a SOQL query; queryAll also returns deleted (IsDeleted) rows. */
    public Answer query(UUID integrationId, String soql, boolean includeDeleted) {
        return call(integrationId, includeDeleted ? "queryAll" : "query", soql);
    }

    /** The page a nextRecordsUrl points at (it continues query and queryAll alike). */
    public Answer next(UUID integrationId, String nextRecordsUrl) {
        return call(integrationId, "queryMore", nextRecordsUrl);
    }

    private Answer call(UUID integrationId, String operation, String argument) {
        boolean refreshed = false;
        Map<String, Object> headers = Map.of("sObjectQuery", argument,
                "Sforce-Query-Options", "batchSize=" + properties.queryBatchSize());
        for (int attempt = 1; ; ) {
            SalesforceApiException failure;
            try (SalesforceComponents.Lease lease = components.lease(integrationId)) {
                Exchange exchange = exchange(lease, operation, headers);
                Exception thrown = exchange.getException();
                SalesforceException salesforce = exchange.getException(SalesforceException.class);
                count(thrown, salesforce);
                if (thrown == null) {
                    return answer(exchange);
                }
                if (salesforce != null && salesforce.getStatusCode() == 401 && !refreshed) {
                    // The session expired: refresh it (once across the nodes, and not at all when another
                    // call already replaced the token this component had), then a fresh component logs in.
                    lease.retire();
                    failure = refresh(integrationId, lease);
                    if (failure == null) {
                        refreshed = true;
                        continue;
                    }
                } else {
                    failure = describe(salesforce, thrown, operation);
                }
            } catch (AnswerTimeout timeout) {
                metrics.providerUnreachable("salesforce");
                failure = timeout(operation);
            }
            if (!isTransient(failure) || attempt >= properties.maxAttempts()) {
                throw attempt == 1 ? failure : new SalesforceApiException(failure.status(), failure.errorCode(),
                        failure.getMessage() + " (gave up after " + attempt + " attempts)");
            }
            backoff(attempt++, failure);
        }
    }

    /** Refreshes the session; null when done, else why not (a token endpoint that did not answer is transient). */
    private SalesforceApiException refresh(UUID integrationId, SalesforceComponents.Lease lease) {
        try {
            tokens.afterUnauthorized(integrationId, lease.accessToken().orElse(null));
            return null;
        } catch (SalesforceApiException tokenEndpoint) {
            return tokenEndpoint;
        }
    }

    /** The exchange, answered within the request timeout; a component whose call hung is not used again. */
    private Exchange exchange(SalesforceComponents.Lease lease, String operation, Map<String, Object> headers) {
        try {
            return lease.request(operation, headers, properties.requestTimeout());
        } catch (TimeoutException e) {
            lease.retire();
            throw new AnswerTimeout();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SalesforceApiException(503, "INTERRUPTED", "interrupted waiting for Salesforce's " + operation);
        }
    }

    /** No answer, a timeout or a 5xx: worth another attempt after a pause. */
    private static boolean isTransient(SalesforceApiException failure) {
        return failure.status() >= 500 && !"INTERRUPTED".equals(failure.errorCode());
    }

    private void backoff(int attempt, SalesforceApiException failure) {
        Duration wait = properties.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 6));
        LOG.info("{}: retrying in {} ms", failure.getMessage(), wait.toMillis());
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SalesforceApiException(503, "INTERRUPTED", "interrupted while waiting to retry: "
                    + failure.getMessage());
        }
    }

    /** The call got no answer within the request timeout. */
    private static final class AnswerTimeout extends RuntimeException {
        AnswerTimeout() {
            super(null, null, false, false);
        }
    }

    private void count(Exception failure, SalesforceException salesforce) {
        if (failure == null) {
            metrics.providerAnswered("salesforce", 200);
        } else if (salesforce == null || salesforce.getStatusCode() <= 0) {
            metrics.providerUnreachable("salesforce");
        } else {
            metrics.providerAnswered("salesforce", salesforce.getStatusCode(), isLimitReached(salesforce));
        }
    }

    /** A 429, or the org's daily API limit (403 REQUEST_LIMIT_EXCEEDED). */
    static boolean isLimitReached(SalesforceException salesforce) {
        return salesforce.getStatusCode() == 429 || salesforce.getErrors() != null && salesforce.getErrors().stream()
                .anyMatch(error -> "REQUEST_LIMIT_EXCEEDED".equals(error.getErrorCode()));
    }

    private Answer answer(Exchange exchange) {
        long used = -1;
        long max = -1;
        String limitInfo = exchange.getMessage().getHeader("Sforce-Limit-Info", String.class);
        if (limitInfo != null) {
            Matcher usage = API_USAGE.matcher(limitInfo);
            if (usage.find()) {
                used = Long.parseLong(usage.group(1));
                max = Long.parseLong(usage.group(2));
            }
        }
        try (InputStream body = exchange.getMessage().getBody(InputStream.class)) {
            return new Answer(json.readTree(body), used, max);
        } catch (IOException e) {
            throw new SalesforceApiException(502, "INVALID_RESPONSE", "Salesforce returned a body that is not JSON");
        }
    }

    private SalesforceApiException describe(SalesforceException salesforce, Exception failure, String operation) {
        if (salesforce == null || salesforce.getStatusCode() <= 0) {
            // No HTTP answer: camel-salesforce's own request timeout, or no connection.
            Throwable cause = failure;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            return cause instanceof TimeoutException ? timeout(operation)
                    : new SalesforceApiException(503, "UNREACHABLE", "Salesforce " + operation + " failed ("
                    + cause.getClass().getSimpleName() + ")");
        }
        String code = "HTTP_" + salesforce.getStatusCode();
        String message = salesforce.getMessage();
        if (salesforce.getErrors() != null && !salesforce.getErrors().isEmpty()) {
            RestError first = salesforce.getErrors().get(0);
            code = first.getErrorCode();
            message = first.getMessage();
        }
        return new SalesforceApiException(salesforce.getStatusCode(), code, "Salesforce " + operation + " answered "
                + salesforce.getStatusCode() + " " + code + ": " + SafeText.scrub(message));
    }

    private SalesforceApiException timeout(String operation) {
        return new SalesforceApiException(504, "TIMEOUT", "Salesforce " + operation + " got no answer within "
                + Durations.text(properties.requestTimeout()));
    }
}
