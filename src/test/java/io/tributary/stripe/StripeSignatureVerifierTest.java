package io.tributary.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import io.tributary.support.StripeEvents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our verifier against stripe-java's Webhook.constructEvent on the same inputs: same verdict every
 * time, except for timestamps from the future, which stripe-java accepts and we refuse past the tolerance.
 */
class StripeSignatureVerifierTest {

    private static final String SECRET = "whsec_test_0123456789abcdef";
    private static final String OTHER = "whsec_other_0123456789abcdef";
    private static final long TOLERANCE = 300;
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final long T = NOW.getEpochSecond();

    private final StripeSignatureVerifier verifier = new StripeSignatureVerifier(Duration.ofSeconds(TOLERANCE));
    private final String body = StripeEvents.event("customer.created", StripeEvents.object("customer"), T).toString();

    record Case(String name, String body, String header, boolean future) {
    }

    @Test
    void agreesWithStripeJavaOnEveryCase() {
        String valid = StripeEvents.signature(body, SECRET, T);
        String validV1 = valid.substring(valid.indexOf("v1=") + 3);
        String otherV1 = sign(body, OTHER, T);
        List<Case> cases = new ArrayList<>(List.of(
                new Case("valid", body, valid, false),
                new Case("wrong secret", body, StripeEvents.signature(body, OTHER, T), false),
                new Case("tampered body", body.replace("customer.created", "customer.deleted"), valid, false),
                new Case("one of several v1 matches", body, "t=" + T + ",v1=" + otherV1 + ",v1=" + validV1, false),
                new Case("v0 only", body, "t=" + T + ",v0=" + validV1, false),
                new Case("v0 and v1", body, "t=" + T + ",v0=abc,v1=" + validV1, false),
                new Case("no timestamp", body, "v1=" + validV1, false),
                new Case("no signature", body, "t=" + T, false),
                new Case("empty header", body, "", false),
                new Case("garbage header", body, "hello world", false),
                new Case("uppercase hex", body, "t=" + T + ",v1=" + validV1.toUpperCase(), false),
                new Case("truncated signature", body, "t=" + T + ",v1=" + validV1.substring(2), false),
                new Case("space before v1", body, "t=" + T + ", v1=" + validV1, false),
                new Case("signed with another timestamp", body, "t=" + (T - 1) + ",v1=" + validV1, false),
                new Case("299 s old", body, StripeEvents.signature(body, SECRET, T - 299), false),
                new Case("300 s old", body, StripeEvents.signature(body, SECRET, T - 300), false),
                new Case("301 s old", body, StripeEvents.signature(body, SECRET, T - 301), false),
                new Case("a day old", body, StripeEvents.signature(body, SECRET, T - 86_400), false),
                new Case("120 s ahead", body, StripeEvents.signature(body, SECRET, T + 120), false),
                new Case("300 s ahead", body, StripeEvents.signature(body, SECRET, T + 300), false),
                new Case("301 s ahead", body, StripeEvents.signature(body, SECRET, T + 301), true),
                new Case("a day ahead", body, StripeEvents.signature(body, SECRET, T + 86_400), true),
                new Case("multibyte body", body.replace("\"object\":\"event\"", "\"object\":\"event\",\"x\":\"Zürich 東京\""),
                        StripeEvents.signature(body.replace("\"object\":\"event\"",
                                "\"object\":\"event\",\"x\":\"Zürich 東京\""), SECRET, T), false)));

        for (Case c : cases) {
            boolean stripe = stripeAccepts(c.body(), c.header());
            boolean ours = verifier.verify(c.body().getBytes(StandardCharsets.UTF_8), c.header(), List.of(SECRET), NOW);
            if (c.future()) {
                assertThat(stripe).as("stripe-java accepts " + c.name()).isTrue();
                assertThat(ours).as("we refuse " + c.name()).isFalse();
            } else {
                assertThat(ours).as(c.name()).isEqualTo(stripe);
            }
        }
        assertThat(cases.stream().filter(c -> !c.future()).map(c -> stripeAccepts(c.body(), c.header())))
                .as("the cases include both verdicts").contains(true, false);
    }

    @Test
    void anyStillValidSecretMayHaveSigned() {
        String header = StripeEvents.signature(body, OTHER, T);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(verifier.verify(bytes, header, List.of(SECRET, OTHER), NOW)).isTrue();
        assertThat(verifier.verify(bytes, header, List.of(SECRET), NOW)).isFalse();
        assertThat(verifier.verify(bytes, header, List.of(), NOW)).isFalse();
        assertThat(verifier.verify(bytes, null, List.of(SECRET), NOW)).isFalse();
    }

    private static String sign(String payload, String secret, long timestamp) {
        String header = StripeEvents.signature(payload, secret, timestamp);
        return header.substring(header.indexOf("v1=") + 3);
    }

    private static boolean stripeAccepts(String payload, String header) {
        try {
            Webhook.constructEvent(payload, header, SECRET, TOLERANCE, Clock.fixed(NOW, ZoneOffset.UTC));
            return true;
        } catch (SignatureVerificationException e) {
            return false;
        } catch (RuntimeException e) {
            // stripe-java lets a malformed t= escape as NumberFormatException: a refusal all the same
            return false;
        }
    }
}
