package io.tributary.stripe;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.common.SafeErrors;
import io.tributary.common.TributaryMetrics;
import io.tributary.database.DatabaseUnavailable;
import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationRepository.WithSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Takes one Stripe delivery: verifies its signature on the raw bytes, stores the event once, and
 * answers. A 2xx is given only after the event row has committed; our own failures answer 5xx so
 * Stripe delivers again.
 */
@Component
public class StripeWebhookReceiver {

    private static final Logger log = LoggerFactory.getLogger(StripeWebhookReceiver.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String SIGNING_SECRET = "signing_secret";

    private final StripeEndpointCache endpoints;
    private final WebhookEventRepository events;
    private final StripeSignatureVerifier verifier;
    private final StripeProperties properties;
    private final Clock clock;
    private final TributaryMetrics metrics;

    public StripeWebhookReceiver(StripeEndpointCache endpoints, WebhookEventRepository events,
                                 StripeProperties properties, Clock clock, TributaryMetrics metrics) {
        this.endpoints = endpoints;
        this.events = events;
        this.verifier = new StripeSignatureVerifier(properties.signatureTolerance());
        this.properties = properties;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Handles one delivery. Every outcome is an answer for Stripe, except an unavailable store: that
     * failure is thrown, and the web layer answers it 503 with Retry-After like any other request's.
     */
    public Reply receive(String integrationId, byte[] body, String signature) {
        Reply reply;
        try {
            reply = answer(integrationId, body, signature);
        } catch (RuntimeException unavailable) {
            metrics.webhookReceived("stripe", TributaryMetrics.WEBHOOK_ERROR);
            throw unavailable;
        }
        metrics.webhookReceived("stripe", reply.metricResult());
        return reply;
    }

    private Reply answer(String integrationId, byte[] body, String signature) {
        try {
            return handle(integrationId, body == null ? new byte[0] : body, signature);
        } catch (RuntimeException e) {
            if (DatabaseUnavailable.isCause(e)) {
                throw e;
            }
            log.error("Webhook failed: {}", SafeErrors.describe(e));
            return Reply.error(500, "internal_error", "The event was not stored; Stripe will retry");
        }
    }

    private Reply handle(String integrationId, byte[] body, String signature) {
        Optional<WithSecrets> endpoint = parseId(integrationId).flatMap(endpoints::find)
                .filter(e -> e.integration().provider().equals("stripe") && e.integration().isConnected());
        if (endpoint.isEmpty()) {
            return Reply.error(404, "not_found", "No connected Stripe integration at this address");
        }
        if (body.length > properties.maxBodyBytes()) {
            return Reply.error(413, "payload_too_large", "Webhook bodies are at most " + properties.maxBodyBytes()
                    + " bytes");
        }
        Instant now = clock.instant();
        if (!verifier.verify(body, signature, endpoint.get().secrets().valid(SIGNING_SECRET, now), now)) {
            log.info("Stripe webhook refused: invalid signature");
            return Reply.error(400, "invalid_signature",
                    "The Stripe-Signature header is missing, malformed, does not match, or is too old or too new");
        }
        StripeEvent event = StripeEvent.from(parse(body));
        if (event == null) {
            return Reply.error(400, "invalid_event", "The body is not a Stripe event");
        }
        Integration integration = endpoint.get().integration();
        boolean first = events.storeOnce(integration.workspaceId(), integration.id(), event,
                new String(body, StandardCharsets.UTF_8));
        return Reply.ok(first ? "received" : "already_received");
    }

    private static Optional<UUID> parseId(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The answer to a delivery: an HTTP status and a JSON body (request_id is added by the web layer). */
    public record Reply(int status, Map<String, Object> body) {

        /** How the metrics count this delivery. */
        String metricResult() {
            if (status >= 500) {
                return TributaryMetrics.WEBHOOK_ERROR;
            }
            if (status >= 400) {
                return TributaryMetrics.WEBHOOK_REJECTED;
            }
            return "already_received".equals(body.get("status")) ? TributaryMetrics.WEBHOOK_DUPLICATE
                    : TributaryMetrics.WEBHOOK_STORED;
        }

        static Reply ok(String status) {
            return new Reply(200, Map.of("status", status));
        }

        static Reply error(int status, String code, String message) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", code);
            body.put("message", message);
            body.put("details", List.of());
            return new Reply(status, body);
        }
    }
}
