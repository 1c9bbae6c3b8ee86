package io.tributary.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/** Waits on an integration's sync status, as a console would poll it. */
public final class SyncStatus {

    private SyncStatus() {
    }

    /** Polls the sync status until no object is queued or running; returns it. */
    public static JsonNode awaitIdle(Api api, String integrationId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            JsonNode status = api.get("/api/v1/integrations/" + integrationId + "/sync/status").json();
            boolean busy = false;
            for (JsonNode object : status.get("objects")) {
                busy |= List.of("queued", "running").contains(object.get("status").asText());
            }
            if (!busy) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("sync did not finish: " + status);
            }
            pause();
        }
    }

    /** Polls the integration's runs (newest first) until one with this trigger has this status; returns it. */
    public static JsonNode awaitRun(Api api, String integrationId, String trigger, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            JsonNode items = api.get("/api/v1/integrations/" + integrationId + "/sync/runs?size=50").json().get("items");
            for (JsonNode run : items) {
                if (run.get("trigger").asText().equals(trigger) && run.get("status").asText().equals(status)) {
                    return run;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + trigger + " run became " + status + ": " + items);
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
