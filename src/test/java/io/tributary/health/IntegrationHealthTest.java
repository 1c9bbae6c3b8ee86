package io.tributary.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.integration.Integration;
import io.tributary.sync.SyncRunRepository;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IntegrationHealthTest {

    private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void aFailedLatestRunOfAnyObjectIsShownEvenWhenAnotherObjectFinishedLater() {
        SyncRunRepository.Run failed = run("deals", "failed", T, "HubSpot answered 403 MISSING_SCOPES");
        SyncRunRepository.Run later = run("companies", "succeeded", T.plusSeconds(60), null);

        IntegrationHealth health = IntegrationHealth.of(integration(Integration.CONNECTED), List.of(failed, later));

        assertThat(health.status()).isEqualTo(IntegrationHealth.LAST_RUN_FAILED);
        assertThat(health.lastRun().id()).isEqualTo(failed.id());
        assertThat(health.lastRun().objectType()).isEqualTo("deals");
        assertThat(health.lastRun().error()).isEqualTo("HubSpot answered 403 MISSING_SCOPES");
    }

    @Test
    void withoutAFailureTheLatestFinishedRunIsShownAndPartialOrInterruptedRunsAreNoFailure() {
        SyncRunRepository.Run partial = run("accounts", "partial", T, "stopped to keep the API reserve");
        SyncRunRepository.Run interrupted = run("contacts", "interrupted", T.plusSeconds(5), "the node stopped");

        IntegrationHealth health = IntegrationHealth.of(integration(Integration.CONNECTED), List.of(partial, interrupted));

        assertThat(health.status()).isEqualTo(IntegrationHealth.OK);
        assertThat(health.lastRun().id()).isEqualTo(interrupted.id());
    }

    @Test
    void theIntegrationsOwnStatusComesFirstAndNoRunsMeansNoLastRun() {
        SyncRunRepository.Run failed = run("companies", "failed", T, "refused the refresh token");

        assertThat(IntegrationHealth.of(integration(Integration.REAUTH_REQUIRED), List.of(failed)).status())
                .isEqualTo(IntegrationHealth.REAUTH_REQUIRED);
        assertThat(IntegrationHealth.of(integration(Integration.DISCONNECTED), List.of(failed)).status())
                .isEqualTo(IntegrationHealth.DISCONNECTED);
        IntegrationHealth fresh = IntegrationHealth.of(integration(Integration.CONNECTED), List.of());
        assertThat(fresh.status()).isEqualTo(IntegrationHealth.OK);
        assertThat(fresh.lastRun()).isNull();
    }

    private static Integration integration(String status) {
        return new Integration(UUID.randomUUID(), UUID.randomUUID(), "hubspot", "Portal", status, "{}", T, T, null);
    }

    private static SyncRunRepository.Run run(String objectType, String status, Instant finishedAt, String error) {
        return new SyncRunRepository.Run(UUID.randomUUID(), UUID.randomUUID(), "hubspot", objectType, "manual", status,
                1, 1, 0, 0, finishedAt.minusSeconds(10), finishedAt.minusSeconds(9), finishedAt, 9_000L, error, 1);
    }
}
