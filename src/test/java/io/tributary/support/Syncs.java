package io.tributary.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/** Asks for syncs over the API, as a console's "sync now" would. */
public final class Syncs {

    private Syncs() {
    }

    /** Queues a sync of the integration (body: its options); returns the ids of the runs it queued. */
    public static List<String> request(Api api, String integrationId, Map<String, Object> body) {
        Api.Response response = api.post("/api/v1/integrations/" + integrationId + "/sync", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return StreamSupport.stream(response.json().get("sync_run_ids").spliterator(), false)
                .map(JsonNode::asText).toList();
    }

    /** Queues a sync with the default options and waits until it is over; returns the sync status. */
    public static JsonNode runToEnd(Api api, String integrationId) {
        request(api, integrationId, Map.of());
        return SyncStatus.awaitIdle(api, integrationId);
    }
}
