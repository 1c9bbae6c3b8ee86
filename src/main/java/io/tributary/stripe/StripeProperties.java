package io.tributary.stripe;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** tributary.stripe.*: see config/application.yaml for what each one means. */
@ConfigurationProperties("tributary.stripe")
public record StripeProperties(Duration signatureTolerance, long maxBodyBytes, Duration secretGracePeriod,
                               int workerBatchSize, int maxAttempts, Duration retryBackoff,
                               Duration endpointCacheTtl) {
}
