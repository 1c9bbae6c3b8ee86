package io.tributary.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.common.SafeText;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.springframework.stereotype.Component;

/**
 * Runs camel-salesforce operations for one org with raw JSON payloads: query, queryAll and
 * queryMore. A 401 refreshes the session once and retries; every answer reports the org's daily
 * API usage from Sforce-Limit-Info.
 */
@Component
public class SalesforceApi {

    /** How often a call takes the org's new component after another lane replaced the one it looked up. */
    private static final int MAX_REPLACED = 3;
    private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");

    /** A query page and the org's API usage after it (-1 when Salesforce did not say). */
    public record Answer(JsonNode body, long used, long max) {
    }

    private final ProducerTemplate producer;
    private final SalesforceComponents components;
    private final SalesforceSessionBroker broker;
    private final SalesforceAccessTokens tokens;
    private final SalesforceProperties properties;
    private final ObjectMapper json;

    public SalesforceApi(ProducerTemplate producer, SalesforceComponents components, SalesforceSessionBroker broker,
                         SalesforceAccessTokens tokens, SalesforceProperties properties, ObjectMapper json) {
        this.producer = producer;
        this.components = components;
        this.broker = broker;
        this.tokens = tokens;
        this.properties = properties;
        this.json = json;
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
        int replaced = 0;
        while (true) {
            String component = components.componentFor(integrationId);
            Exchange exchange;
            try {
                exchange = producer.request(component + ":" + operation, request -> {
                    request.getMessage().setHeader("sObjectQuery", argument);
                    request.getMessage().setHeader("Sforce-Query-Options", "batchSize=" + properties.queryBatchSize());
                });
            } catch (NoSuchEndpointException e) {
                // The org's other lane discarded this component (a 401) between the lookup and the call.
                if (++replaced > MAX_REPLACED) {
                    throw e;
                }
                continue;
            }
            Exception failure = exchange.getException();
            if (failure == null) {
                return answer(exchange);
            }
            SalesforceException salesforce = exchange.getException(SalesforceException.class);
            if (salesforce != null && salesforce.getStatusCode() == 401 && !refreshed) {
                // The session expired: refresh it (once across the nodes), then a new component logs in with it.
                refreshed = true;
                tokens.afterUnauthorized(integrationId, broker.handedOut(integrationId).orElse(null));
                components.discard(integrationId, component);
                continue;
            }
            throw describe(salesforce, failure, operation);
        }
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

    private static SalesforceApiException describe(SalesforceException salesforce, Exception failure, String operation) {
        if (salesforce == null) {
            return new SalesforceApiException(503, "UNREACHABLE", "Salesforce " + operation + " failed ("
                    + failure.getClass().getSimpleName() + ")");
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
}
