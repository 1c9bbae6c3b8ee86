package io.tributary.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.common.SafeErrors;
import io.tributary.database.OutageLog;
import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationRepository;
import io.tributary.integration.IntegrationScheduleChanged;
import io.tributary.integration.IntegrationStatusChanged;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps one scheduled route per connected integration, made from its provider's route template:
 * added on connect, removed (and its Quartz trigger deleted) on disconnect or pause. Every node
 * reconciles with the integrations table, because a clustered trigger may fire on any node.
 */
@Component("scheduledSyncRoutes")
public class ScheduledSyncRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledSyncRoutes.class);

    private final CamelContext camel;
    private final IntegrationRepository integrations;
    private final Map<String, SyncSchedule> schedules;
    private final Scheduler quartz;
    private final ObjectMapper json;
    private final OutageLog outage = new OutageLog(LOG, "sync-schedule-reconcile");

    public ScheduledSyncRoutes(CamelContext camel, IntegrationRepository integrations, List<SyncSchedule> schedules,
                               Scheduler quartz, ObjectMapper json) {
        this.camel = camel;
        this.integrations = integrations;
        this.schedules = schedules.stream().collect(Collectors.toMap(SyncSchedule::provider, s -> s));
        this.quartz = quartz;
        this.json = json;
    }

    public static String routeId(SyncSchedule schedule, UUID integrationId) {
        return schedule.routeTemplateId() + "-" + integrationId;
    }

    /** Called at start and periodically by the sync-schedule-reconcile route. */
    public synchronized void reconcile() {
        outage.attempt(this::reconcileAll);
    }

    private void reconcileAll() {
        for (SyncSchedule schedule : schedules.values()) {
            List<Integration> connected = integrations.listByStatus(schedule.provider(), Integration.CONNECTED);
            Set<String> wanted = connected.stream().map(i -> routeId(schedule, i.id())).collect(Collectors.toSet());
            connected.forEach(integration -> ensureRoute(schedule, integration));
            camel.getRoutes().stream().map(Route::getRouteId)
                    .filter(id -> id.startsWith(schedule.routeTemplateId() + "-") && !wanted.contains(id))
                    .toList()
                    .forEach(id -> removeRoute(schedule, id));
        }
    }

    @EventListener
    public void onStatusChanged(IntegrationStatusChanged event) {
        integrations.find(event.integrationId()).ifPresent(integration -> {
            SyncSchedule schedule = schedules.get(integration.provider());
            if (schedule == null) {
                return;
            }
            synchronized (this) {
                if (integration.isConnected()) {
                    ensureRoute(schedule, integration);
                } else {
                    removeRoute(schedule, routeId(schedule, integration.id()));
                    unschedule(schedule, integration.id());
                }
            }
        });
    }

    /** A new cron: the route and its shared trigger are made again from it. */
    @EventListener
    public synchronized void onScheduleChanged(IntegrationScheduleChanged event) {
        integrations.find(event.integrationId()).filter(Integration::isConnected).ifPresent(integration -> {
            SyncSchedule schedule = schedules.get(integration.provider());
            if (schedule != null) {
                removeRoute(schedule, routeId(schedule, integration.id()));
                unschedule(schedule, integration.id());
                ensureRoute(schedule, integration);
            }
        });
    }

    private void ensureRoute(SyncSchedule schedule, Integration integration) {
        String routeId = routeId(schedule, integration.id());
        if (camel.getRoute(routeId) != null) {
            return;
        }
        try {
            TemplatedRouteBuilder.builder(camel, schedule.routeTemplateId())
                    .routeId(routeId)
                    .parameter("integrationId", integration.id().toString())
                    // Quartz URIs spell the cron's spaces as '+'.
                    .parameter("cron", cron(schedule, integration).trim().replace(' ', '+'))
                    .add();
            LOG.info("Scheduled {} sync of integration {}", schedule.provider(), integration.id());
        } catch (RuntimeException e) {
            LOG.error("Could not schedule {} sync of integration {}: {}", schedule.provider(), integration.id(),
                    SafeErrors.describe(e));
        }
    }

    private void removeRoute(SyncSchedule schedule, String routeId) {
        try {
            if (camel.getRoute(routeId) != null) {
                camel.getRouteController().stopRoute(routeId);
                camel.removeRoute(routeId);
                LOG.info("Removed schedule route {}", routeId);
            }
        } catch (Exception e) {
            LOG.error("Could not remove schedule route {}: {}", routeId, SafeErrors.describe(e));
        }
    }

    /** The routes keep their triggers when a node stops (other nodes share them), so a disconnect deletes it. */
    private void unschedule(SyncSchedule schedule, UUID integrationId) {
        try {
            quartz.unscheduleJob(TriggerKey.triggerKey(integrationId.toString(), schedule.provider()));
        } catch (SchedulerException e) {
            LOG.error("Could not delete the Quartz trigger of integration {}: {}", integrationId, SafeErrors.describe(e));
        }
    }

    private String cron(SyncSchedule schedule, Integration integration) {
        try {
            JsonNode config = json.readTree(integration.config());
            return config.path("cron").asText(schedule.defaultCron());
        } catch (IOException e) {
            return schedule.defaultCron();
        }
    }
}
