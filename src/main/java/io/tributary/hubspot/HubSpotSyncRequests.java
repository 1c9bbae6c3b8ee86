package io.tributary.hubspot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationRepository;
import io.tributary.sync.SyncRequests;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Turns a HubSpot sync request (API, console button or schedule) into a queued job. */
@Component("hubSpotSyncRequests")
public class HubSpotSyncRequests {

    private static final Logger LOG = LoggerFactory.getLogger(HubSpotSyncRequests.class);

    private final SyncRequests requests;
    private final IntegrationRepository integrations;
    private final ObjectMapper json;

    public HubSpotSyncRequests(SyncRequests requests, IntegrationRepository integrations, ObjectMapper json) {
        this.requests = requests;
        this.integrations = integrations;
        this.json = json;
    }

    public Optional<List<UUID>> request(Integration integration, HubSpotSyncOptions options, String trigger) {
        return request(integration, options, trigger, null);
    }

    /**
     * Called by each integration's hubspot-sync-schedule route when its Quartz trigger fires; each
     * fire is logged with its time, so an operator sees which node handled it.
     */
    public void scheduled(String integrationId, Date fireTime) {
        integrations.find(UUID.fromString(integrationId)).filter(Integration::isConnected).ifPresent(integration -> {
            if (request(integration, HubSpotSyncOptions.scheduled(), SyncRequests.SCHEDULED, fireTime.toInstant())
                    .isEmpty()) {
                LOG.info("Scheduled HubSpot sync of integration {} for {} skipped: the previous one is still running",
                        integrationId, fireTime.toInstant());
            } else {
                LOG.info("Scheduled HubSpot sync of integration {} for {} queued", integrationId,
                        fireTime.toInstant());
            }
        });
    }

    private Optional<List<UUID>> request(Integration integration, HubSpotSyncOptions options, String trigger,
                                         Instant scheduledFor) {
        List<String> objects = options.objectsInOrder().stream().map(HubSpotObject::plural).toList();
        return requests.request(integration, SyncRequests.ALL_OBJECTS, trigger, write(options), objects, scheduledFor);
    }

    private String write(HubSpotSyncOptions options) {
        try {
            return json.writeValueAsString(options);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
