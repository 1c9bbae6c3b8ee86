package io.tributary.health;

import io.tributary.integration.Integration;
import io.tributary.sync.SyncRunRepository;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Whether an integration needs attention: its provider wants it connected again, or the latest
 * run of one of its objects failed. lastRun is that failed run, else the latest finished run.
 */
public record IntegrationHealth(String status, LastRun lastRun) {

    public static final String OK = "ok";
    public static final String REAUTH_REQUIRED = "reauth_required";
    public static final String LAST_RUN_FAILED = "last_run_failed";
    public static final String DISCONNECTED = "disconnected";
    static final String FAILED_RUN = "failed";

    /** A run as health shows it; its error was scrubbed when the run ended. */
    public record LastRun(UUID id, String objectType, String status, Instant finishedAt, String error) {
    }

    /** Judges an integration by its status and the latest finished run of each of its objects. */
    public static IntegrationHealth of(Integration integration, List<SyncRunRepository.Run> latestRuns) {
        Comparator<SyncRunRepository.Run> byFinish = Comparator.comparing(SyncRunRepository.Run::finishedAt);
        SyncRunRepository.Run failed = latestRuns.stream().filter(run -> FAILED_RUN.equals(run.status()))
                .max(byFinish).orElse(null);
        SyncRunRepository.Run shown = failed != null ? failed : latestRuns.stream().max(byFinish).orElse(null);
        String status = switch (integration.status()) {
            case Integration.REAUTH_REQUIRED -> REAUTH_REQUIRED;
            case Integration.DISCONNECTED -> DISCONNECTED;
            default -> failed != null ? LAST_RUN_FAILED : OK;
        };
        return new IntegrationHealth(status, shown == null ? null : new LastRun(shown.id(), shown.objectType(),
                shown.status(), shown.finishedAt(), shown.error()));
    }
}
