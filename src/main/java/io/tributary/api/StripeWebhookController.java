package io.tributary.api;

import io.tributary.common.RequestIds;
import io.tributary.stripe.StripeProperties;
import io.tributary.stripe.StripeWebhookReceiver;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /webhooks/stripe/{integration_id}. Authenticated by the Stripe signature, not an API key.
 * The body is taken as raw bytes — the signature covers them exactly — and any content type is
 * accepted so that no form or charset decoding ever touches it.
 */
@RestController
public class StripeWebhookController {

    private final StripeWebhookReceiver receiver;
    private final int readLimit;

    public StripeWebhookController(StripeWebhookReceiver receiver, StripeProperties properties) {
        this.receiver = receiver;
        // One byte past the limit is enough to know a body is too large.
        this.readLimit = (int) Math.min(Integer.MAX_VALUE - 8, properties.maxBodyBytes() + 1);
    }

    @PostMapping("/webhooks/stripe/{integrationId}")
    ResponseEntity<Map<String, Object>> receive(@PathVariable String integrationId,
                                                @RequestHeader(name = "Stripe-Signature", required = false)
                                                String signature,
                                                HttpServletRequest request) throws IOException {
        byte[] body = request.getInputStream().readNBytes(readLimit);
        StripeWebhookReceiver.Reply reply = receiver.receive(integrationId, body, signature);
        Map<String, Object> json = new LinkedHashMap<>(reply.body());
        json.put("request_id", RequestIds.of(request));
        return ResponseEntity.status(reply.status()).body(json);
    }
}
