package io.tributary.sync;

import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationRepository;
import io.tributary.integration.IntegrationStatusChanged;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Disconnecting an integration: the provider is told first where it can be (best effort, e.g. a
 * refresh token revoked), then the secrets are wiped, queued syncs cancelled and the schedule removed.
 */
@Service
public class Disconnections {

    /** A provider's best-effort goodbye, given the secrets about to be wiped. */
    public interface Revoker {

        String provider();

        void revoke(Integration integration, Map<String, String> secrets);
    }

    private final IntegrationRepository integrations;
    private final SyncJobRepository jobs;
    private final List<Revoker> revokers;
    private final ApplicationEventPublisher events;

    public Disconnections(IntegrationRepository integrations, SyncJobRepository jobs, List<Revoker> revokers,
                          ApplicationEventPublisher events) {
        this.integrations = integrations;
        this.jobs = jobs;
        this.revokers = revokers;
        this.events = events;
    }

    public void disconnect(Integration integration) {
        integrations.findWithSecrets(integration.id()).ifPresent(found -> revokers.stream()
                .filter(revoker -> revoker.provider().equals(integration.provider()))
                .forEach(revoker -> revoker.revoke(integration, found.secrets().current())));
        integrations.disconnect(integration.id());
        jobs.cancelQueued(integration.id(), "the integration was disconnected");
        events.publishEvent(new IntegrationStatusChanged(integration.id()));
    }
}
