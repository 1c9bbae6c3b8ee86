package io.tributary.sync;

import io.tributary.integration.Integration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Queues syncs, from the API or a schedule; refuses a second one while the integration is syncing anywhere. */
@Service
public class SyncRequests {

    public static final String MANUAL = "manual";
    public static final String SCHEDULED = "scheduled";
    public static final String NIGHTLY = "nightly";
    /** A job queued by the node that noticed another job's interruption, to go on from its cursors. */
    public static final String RESUME = "resume";
    /** Every trigger a run can have. */
    public static final List<String> TRIGGERS = List.of(MANUAL, SCHEDULED, NIGHTLY, RESUME);
    /** The lane of a provider whose objects sync together, one job at a time. */
    public static final String ALL_OBJECTS = "all";

    private final SyncJobRepository jobs;

    public SyncRequests(SyncJobRepository jobs) {
        this.jobs = jobs;
    }

    /**
     * The queued runs' ids, in the order they will run; empty when a sync is already queued or
     * running in that lane.
     */
    public Optional<List<UUID>> request(Integration integration, String lane, String trigger, String optionsJson,
                                        List<String> objectTypes) {
        return request(integration, lane, trigger, optionsJson, objectTypes, null);
    }

    /** The same, for a schedule's fire at scheduledFor (kept on the job). */
    public Optional<List<UUID>> request(Integration integration, String lane, String trigger, String optionsJson,
                                        List<String> objectTypes, Instant scheduledFor) {
        return jobs.enqueue(integration.workspaceId(), integration.id(), integration.provider(), lane, trigger,
                        optionsJson, objectTypes, scheduledFor)
                .map(job -> job.runs().stream().map(SyncJob.SyncRun::id).toList());
    }
}
