package io.tributary.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.common.BoundedHttpClient;
import io.tributary.common.SafeText;
import io.tributary.common.TributaryMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Calls HubSpot's CRM API for one portal: paced under its request budget, authenticated with a
 * fresh token, retrying 429 (after Retry-After) and 5xx (with backoff), refreshing once on a 401.
 * Errors it gives up on surface as HubSpotApiException with a message safe to store.
 */
@Component
public class HubSpotClient {

    private static final Logger LOG = LoggerFactory.getLogger(HubSpotClient.class);

    private final HubSpotProperties properties;
    private final HubSpotAccessTokens tokens;
    private final ObjectMapper json;
    private final BoundedHttpClient http;
    private final TributaryMetrics metrics;
    private final Map<UUID, RequestBudget> budgets = new ConcurrentHashMap<>();

    public HubSpotClient(HubSpotProperties properties, HubSpotAccessTokens tokens, ObjectMapper json,
                         TributaryMetrics metrics) {
        this.properties = properties;
        this.tokens = tokens;
        this.json = json;
        this.metrics = metrics;
        this.http = new BoundedHttpClient(properties.requestTimeout());
    }

    public JsonNode get(UUID integrationId, String path) {
        return send(integrationId, "GET", path, null, false);
    }

    public JsonNode post(UUID integrationId, String path, JsonNode body) {
        return send(integrationId, "POST", path, body, path.endsWith("/search"));
    }

    private JsonNode send(UUID integrationId, String method, String path, JsonNode body, boolean search) {
        RequestBudget budget = budgets.computeIfAbsent(integrationId,
                id -> new RequestBudget(properties.requestsPerTenSeconds(), properties.searchesPerSecond()));
        String what = method + " " + path;
        boolean refreshed = false;
        String token = null;
        // The token a 401 refused, to be refreshed before the next attempt.
        String refused = null;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response;
            try {
                if (token == null) {
                    token = refused == null ? tokens.accessToken(integrationId)
                            : tokens.afterUnauthorized(integrationId, refused);
                }
                budget.acquire(search);
                response = http.send(request(method, path, body, token));
            } catch (IOException e) {
                metrics.providerUnreachable("hubspot");
                giveUpAfter(attempt, 503, "UNREACHABLE", "HubSpot " + what + " " + http.describe(e));
                sleep(backoff(attempt));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubSpotApiException(503, "INTERRUPTED", what + " was interrupted");
            } catch (HubSpotApiException tokenEndpoint) {
                // The token endpoint did not answer (or failed on its side): as transient as the API's own 5xx.
                if (tokenEndpoint.status() < 500 || "INTERRUPTED".equals(tokenEndpoint.category())) {
                    throw tokenEndpoint;
                }
                giveUpAfter(attempt, tokenEndpoint.status(), tokenEndpoint.category(), tokenEndpoint.getMessage());
                LOG.info("{}: retrying in {} ms", tokenEndpoint.getMessage(), backoff(attempt).toMillis());
                sleep(backoff(attempt));
                continue;
            }
            int status = response.statusCode();
            metrics.providerAnswered("hubspot", status);
            if (status / 100 == 2) {
                pauseIfWindowSpent(budget, response.headers());
                return parse(response.body(), what);
            }
            JsonNode error = parse(response.body(), what);
            String category = error.path("category").asText(error.path("policyName").asText("HTTP_" + status));
            String message = what + " answered " + status + " " + category + ": "
                    + SafeText.scrub(error.path("message").asText(""));
            if (status == 401 && !refreshed) {
                // Expired or revoked mid-sync: one refresh, one retry; a second 401 is final.
                refreshed = true;
                LOG.info("{} answered 401 {}: refreshing the access token", what, category);
                refused = token;
                token = null;
                continue;
            }
            if (status == 429) {
                giveUpAfter(attempt, status, category, message);
                Duration wait = retryAfter(response.headers());
                LOG.info("HubSpot rate limit ({}) for integration {}: waiting {} ms", category, integrationId,
                        wait.toMillis());
                budget.pause(wait);
                continue;
            }
            if (status >= 500) {
                giveUpAfter(attempt, status, category, message);
                LOG.info("{}: retrying in {} ms", message, backoff(attempt).toMillis());
                sleep(backoff(attempt));
                continue;
            }
            throw new HubSpotApiException(status, category, message);
        }
    }

    private HttpRequest.Builder request(String method, String path, JsonNode body, String token) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(properties.apiBaseUrl() + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
    }

    private void giveUpAfter(int attempt, int status, String category, String message) {
        if (attempt >= properties.maxAttempts()) {
            throw new HubSpotApiException(status, category, message + " (gave up after " + attempt + " attempts)");
        }
    }

    private Duration backoff(int attempt) {
        return properties.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 6));
    }

    /** Retry-After in seconds; without one, the interval HubSpot's rate-limit headers name, else 1 s. */
    private static Duration retryAfter(HttpHeaders headers) {
        return headers.firstValue("Retry-After").flatMap(HubSpotClient::seconds)
                .or(() -> headers.firstValue("X-HubSpot-RateLimit-Interval-Milliseconds")
                        .flatMap(HubSpotClient::millis))
                .orElse(Duration.ofSeconds(1));
    }

    /** HubSpot counts down the window's remaining requests: at zero, wait the window out rather than meet a 429. */
    private static void pauseIfWindowSpent(RequestBudget budget, HttpHeaders headers) {
        if (headers.firstValue("X-HubSpot-RateLimit-Remaining").map(String::trim).filter("0"::equals).isPresent()) {
            budget.pause(headers.firstValue("X-HubSpot-RateLimit-Interval-Milliseconds")
                    .flatMap(HubSpotClient::millis).orElse(Duration.ofSeconds(10)));
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(1, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> millis(String value) {
        try {
            return Optional.of(Duration.ofMillis(Math.max(100, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private JsonNode parse(String body, String what) {
        try {
            return json.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            throw new HubSpotApiException(502, "INVALID_RESPONSE", what + " returned a body that is not JSON");
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubSpotApiException(503, "INTERRUPTED", "interrupted while waiting to retry");
        }
    }
}
