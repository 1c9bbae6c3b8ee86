package io.tributary.stripe;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's webhook signature scheme: header "t=<unix>,v1=<hex>[,v1=<hex>…]"; each v1 is
 * HMAC-SHA256, keyed with the endpoint's signing secret, over "<t>.<raw body>". Any v1 may match
 * any still-valid secret; other schemes (v0) are ignored. Unlike Stripe's own libraries, a
 * timestamp too far in the future is refused as well as one too old.
 */
public final class StripeSignatureVerifier {

    private final Duration tolerance;

    public StripeSignatureVerifier(Duration tolerance) {
        this.tolerance = tolerance;
    }

    public boolean verify(byte[] body, String header, List<String> secrets, Instant now) {
        Header parsed = Header.parse(header);
        if (parsed == null || secrets.isEmpty()) {
            return false;
        }
        boolean signed = false;
        for (String secret : secrets) {
            byte[] expected = HexFormat.of().formatHex(hmac(secret, parsed.timestamp(), body))
                    .getBytes(StandardCharsets.US_ASCII);
            for (String candidate : parsed.signatures()) {
                // Constant time, and every candidate is checked, so timing tells nothing about which matched.
                signed |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
            }
        }
        return signed && Math.abs(now.getEpochSecond() - parsed.timestamp()) <= tolerance.toSeconds();
    }

    static byte[] hmac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }

    /** The parts of a Stripe-Signature header this scheme uses; null when it is garbled. */
    record Header(long timestamp, List<String> signatures) {

        static Header parse(String header) {
            if (header == null || header.isBlank() || header.length() > 8192) {
                return null;
            }
            Long timestamp = null;
            List<String> signatures = new ArrayList<>();
            for (String item : header.split(",")) {
                int eq = item.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                // No trimming: Stripe sends none, and its libraries read " v1" as another scheme too.
                String key = item.substring(0, eq);
                String value = item.substring(eq + 1);
                if (key.equals("t") && timestamp == null) {
                    timestamp = parseTimestamp(value);
                    if (timestamp == null) {
                        return null;
                    }
                } else if (key.equals("v1")) {
                    signatures.add(value);
                }
            }
            return timestamp == null || signatures.isEmpty() ? null : new Header(timestamp, signatures);
        }

        private static Long parseTimestamp(String value) {
            try {
                long timestamp = Long.parseLong(value);
                return timestamp > 0 ? timestamp : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
