package io.tributary.health;

import io.tributary.common.SafeErrors;
import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationRepository;
import io.tributary.sync.SyncRunRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The "integrations" health component (named after this bean), across workspaces: UP with counts, or DEGRADED listing the
 * integrations that need attention by id, provider and reason — never a name or a secret. It is
 * kept out of the readiness group: an expired HubSpot token is no reason to stop taking webhooks.
 */
@Component
public class IntegrationsHealthIndicator implements HealthIndicator {

    /** Ranks between DOWN and UP (management.endpoint.health.status.order) and still answers 200. */
    public static final Status DEGRADED = new Status("DEGRADED", "Some integrations need attention");
    /** Enough to act on; the counts say how many there are in all. */
    private static final int LISTED = 50;

    private final IntegrationRepository integrations;
    private final SyncRunRepository runs;

    public IntegrationsHealthIndicator(IntegrationRepository integrations, SyncRunRepository runs) {
        this.integrations = integrations;
        this.runs = runs;
    }

    @Override
    public Health health() {
        try {
            return check();
        } catch (DataAccessException e) {
            // The db component reports the outage; the exception's message may hold SQL, so only its kind is shown.
            return Health.unknown().withDetail("error", SafeErrors.describe(e)).build();
        }
    }

    private Health check() {
        Map<String, Long> counts = integrations.countByStatus();
        List<Map<String, Object>> unhealthy = new ArrayList<>();
        for (Integration integration : integrations.listByStatus(Integration.REAUTH_REQUIRED, LISTED)) {
            unhealthy.add(entry(integration.id(), integration.provider(), IntegrationHealth.REAUTH_REQUIRED, null));
        }
        Set<UUID> failing = new LinkedHashSet<>();
        for (SyncRunRepository.Run run : runs.failedLatestOfConnected()) {
            if (failing.add(run.integrationId()) && unhealthy.size() < LISTED) {
                unhealthy.add(entry(run.integrationId(), run.provider(), IntegrationHealth.LAST_RUN_FAILED, run));
            }
        }
        long reauthRequired = counts.getOrDefault(Integration.REAUTH_REQUIRED, 0L);
        Health.Builder health = unhealthy.isEmpty() ? Health.up() : Health.status(DEGRADED);
        return health.withDetail("connected", counts.getOrDefault(Integration.CONNECTED, 0L))
                .withDetail(IntegrationHealth.REAUTH_REQUIRED, reauthRequired)
                .withDetail(IntegrationHealth.LAST_RUN_FAILED, failing.size())
                .withDetail("unhealthy", unhealthy)
                .build();
    }

    private static Map<String, Object> entry(UUID id, String provider, String reason, SyncRunRepository.Run run) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", id);
        entry.put("provider", provider);
        entry.put("reason", reason);
        if (run != null) {
            entry.put("run_id", run.id());
            entry.put("object_type", run.objectType());
        }
        return entry;
    }
}
