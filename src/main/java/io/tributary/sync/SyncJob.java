package io.tributary.sync;

import java.util.List;
import java.util.UUID;

/** A claimed sync request: what to sync (options, as JSON) and its runs, one per object, in order. */
public record SyncJob(UUID id, UUID workspaceId, UUID integrationId, String provider, String trigger,
                      String optionsJson, List<SyncRun> runs) {

    /** One object's run within the job. */
    public record SyncRun(UUID id, String objectType) {
    }
}
