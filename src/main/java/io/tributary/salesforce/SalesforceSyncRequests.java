package io.tributary.salesforce;

import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationRepository;
import io.tributary.sync.SyncRequests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns a Salesforce sync request (API, console, schedule or the nightly run) into queued jobs:
 * one per object, each in its own lane, so accounts and contacts sync independently.
 */
@Component("salesforceSyncRequests")
public class SalesforceSyncRequests {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceSyncRequests.class);

    private final SyncRequests requests;
    private final IntegrationRepository integrations;

    public SalesforceSyncRequests(SyncRequests requests, IntegrationRepository integrations) {
        this.requests = requests;
        this.integrations = integrations;
    }

    /** The queued runs' ids; an object already queued or running is left out (and named in skipped). */
    public List<UUID> request(Integration integration, String backfill, String trigger, List<String> skipped) {
        return request(integration, backfill, trigger, skipped, null);
    }

    /**
     * Called by each org's salesforce-sync-schedule route when its Quartz trigger fires; each fire
     * is logged with its time, so an operator sees which node handled it.
     */
    public void scheduled(String integrationId, Date fireTime) {
        integrations.find(UUID.fromString(integrationId)).filter(Integration::isConnected)
                .ifPresent(integration -> queue(integration, SyncRequests.SCHEDULED, fireTime.toInstant()));
    }

    /** Called by the salesforce-nightly-sync route: every connected org, trigger nightly. */
    public void nightly(Date fireTime) {
        integrations.listByStatus(SalesforceRecordMapper.SYSTEM, Integration.CONNECTED)
                .forEach(integration -> queue(integration, SyncRequests.NIGHTLY, fireTime.toInstant()));
    }

    private List<UUID> request(Integration integration, String backfill, String trigger, List<String> skipped,
                               Instant scheduledFor) {
        String options = backfill == null ? "{}" : "{\"backfill\":\"" + backfill + "\"}";
        List<UUID> runIds = new ArrayList<>();
        for (SalesforceObject object : SalesforceObject.values()) {
            requests.request(integration, object.plural(), trigger, options, List.of(object.plural()), scheduledFor)
                    .ifPresentOrElse(runIds::addAll, () -> skipped.add(object.plural()));
        }
        return runIds;
    }

    private void queue(Integration integration, String trigger, Instant fireTime) {
        List<String> skipped = new ArrayList<>();
        List<UUID> queued = request(integration, null, trigger, skipped, fireTime);
        if (!skipped.isEmpty()) {
            LOG.info("{} Salesforce sync of integration {} for {} skipped for {}: still running", trigger,
                    integration.id(), fireTime, skipped);
        }
        if (!queued.isEmpty()) {
            LOG.info("{} Salesforce sync of integration {} for {} queued", trigger, integration.id(), fireTime);
        }
    }
}
