package io.tributary.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookEventWorkerTest {

    private final WebhookEventWorker worker = new WebhookEventWorker(null, null, null,
            new StripeProperties(Duration.ofSeconds(300), 1_048_576, Duration.ofHours(24), 100, 8,
                    Duration.ofSeconds(5), Duration.ofSeconds(5)), null);

    @Test
    void backoffDoublesFromTheBaseAndIsCappedAtAnHour() {
        assertThat(worker.backoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(worker.backoff(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(worker.backoff(5)).isEqualTo(Duration.ofSeconds(80));
        assertThat(worker.backoff(10)).isEqualTo(Duration.ofSeconds(2560));
        assertThat(worker.backoff(11)).isEqualTo(Duration.ofHours(1));
        assertThat(worker.backoff(60)).isEqualTo(Duration.ofHours(1));
    }
}
