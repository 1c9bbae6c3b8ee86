package io.tributary.support;

import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The apps under test schedule nothing by themselves: the default crons (HubSpot every quarter hour,
 * Salesforce hourly and nightly) would otherwise fire whenever a test happens to span :00, :15…, and
 * add jobs that tests counting jobs or runs do not expect. A test of schedules sets its own cron.
 */
public final class TestSchedules {

    /** A Quartz cron that is valid and has a next fire time, far beyond any test run. */
    public static final String NEVER = "0 0 0 1 1 ? 2099";

    /** The schedule properties and the value each takes under test. */
    public static final Map<String, String> PROPERTIES = Map.of(
            "tributary.hubspot.cron", NEVER,
            "tributary.salesforce.cron", NEVER,
            "tributary.salesforce.nightly-cron", NEVER);

    private TestSchedules() {
    }

    /** Sets the integration's schedule through the API, as an operator would. */
    public static void setCron(Api api, String integrationId, String cron) {
        Api.Response patched = api.send(api.request("/api/v1/integrations/" + integrationId)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"config\":{\"cron\":\"" + cron + "\"}}")));
        if (patched.status() != 200) {
            throw new AssertionError("Setting the cron failed: " + patched);
        }
    }

    /** Command-line arguments for the schedule properties that args do not set themselves. */
    public static List<String> argumentsBesides(String... args) {
        return PROPERTIES.entrySet().stream()
                .filter(property -> Arrays.stream(args).noneMatch(arg -> arg.startsWith("--" + property.getKey() + "=")))
                .map(property -> "--" + property.getKey() + "=" + property.getValue())
                .toList();
    }
}
