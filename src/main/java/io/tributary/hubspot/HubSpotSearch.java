package io.tributary.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.LogContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Pages through CRM v3 search. HubSpot serves at most 10,000 results per query and answers 400
 * past that, so a query that reaches the cap is continued by a new query from the last record
 * seen — never skipping one, even when more than 10,000 records share a modification time.
 */
@Component
public class HubSpotSearch {

    static final int RESULT_CAP = 10_000;
    private static final String ID = "hs_object_id";

    /** One search filter, as HubSpot's filterGroups take it. */
    public record Filter(String property, String operator, String value, List<String> values) {

        public static Filter of(String property, String operator, String value) {
            return new Filter(property, operator, value, null);
        }

        public static Filter in(String property, List<String> values) {
            return new Filter(property, "IN", null, values);
        }
    }

    private final HubSpotClient client;
    private final HubSpotProperties properties;
    private final ObjectMapper json;
    private final ExecutorService prefetch = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "hubspot-prefetch");
        thread.setDaemon(true);
        return thread;
    });

    public HubSpotSearch(HubSpotClient client, HubSpotProperties properties, ObjectMapper json) {
        this.client = client;
        this.properties = properties;
        this.json = json;
    }

    /**
     * Every object modified at or after `from`, in ascending modification time, one page at a time.
     * When a query reaches the cap at time T, every record at T is read again ordered by id (its
     * own continuation by id if T alone holds more than the cap), then the search goes on after T.
     */
    public void modifiedSince(UUID integrationId, HubSpotObject object, Instant from, Consumer<List<JsonNode>> page) {
        String property = object.modifiedProperty();
        Filter lowerBound = Filter.of(property, "GTE", millis(from));
        LatestTime latest = new LatestTime(object);
        while (true) {
            Optional<JsonNode> capped = pages(integrationId, object, List.of(lowerBound), property,
                    results -> page.accept(latest.track(results)));
            if (capped.isEmpty()) {
                return;
            }
            Instant capTime = HubSpotTimes.modifiedAt(capped.get(), object);
            if (capTime == null) {
                throw new HubSpotApiException(502, "INVALID_RESPONSE", "HubSpot returned " + object.plural()
                        + " without " + property + ": cannot continue past the 10,000-result cap");
            }
            String reachedAt = millis(capTime);
            // Records at capTime already delivered are dropped from the re-read, so each is handed over once.
            Set<String> delivered = latest.idsAt(capTime);
            byId(integrationId, object, List.of(Filter.of(property, "EQ", reachedAt)), results -> {
                List<JsonNode> fresh = results.stream().filter(r -> !delivered.contains(r.path("id").asText())).toList();
                if (!fresh.isEmpty()) {
                    page.accept(fresh);
                }
            });
            lowerBound = Filter.of(property, "GT", reachedAt);
        }
    }

    /** The ids delivered at the latest modification time seen: what a re-read of that time must skip. */
    private static final class LatestTime {

        private final HubSpotObject object;
        private Instant time;
        private final Set<String> ids = new HashSet<>();

        LatestTime(HubSpotObject object) {
            this.object = object;
        }

        List<JsonNode> track(List<JsonNode> results) {
            for (JsonNode result : results) {
                Instant modified = HubSpotTimes.modifiedAt(result, object);
                if (modified != null && !modified.equals(time)) {
                    time = modified;
                    ids.clear();
                }
                ids.add(result.path("id").asText());
            }
            return results;
        }

        Set<String> idsAt(Instant at) {
            return at.equals(time) ? Set.copyOf(ids) : Set.of();
        }
    }

    /** Every object matching the filters, in ascending id, continuing by id past the cap. */
    public void byId(UUID integrationId, HubSpotObject object, List<Filter> filters, Consumer<List<JsonNode>> page) {
        List<Filter> query = filters;
        while (true) {
            Optional<JsonNode> capped = pages(integrationId, object, query, ID, page);
            if (capped.isEmpty()) {
                return;
            }
            List<Filter> next = new ArrayList<>(filters);
            next.add(Filter.of(ID, "GT", capped.get().path("id").asText()));
            query = next;
        }
    }

    /**
     * Runs one query to its end or to the cap; returns the last record when the cap stopped it. The
     * next page is fetched while the current one is handed over (and written), so the network and
     * the store work side by side; at most two pages are in memory.
     */
    private Optional<JsonNode> pages(UUID integrationId, HubSpotObject object, List<Filter> filters, String sortBy,
                                     Consumer<List<JsonNode>> page) {
        String path = "/crm/v3/objects/" + object.plural() + "/search";
        CompletableFuture<JsonNode> pending = fetch(integrationId, path, body(object, filters, sortBy, null));
        while (true) {
            JsonNode response = await(pending);
            List<JsonNode> results = new ArrayList<>();
            response.path("results").forEach(results::add);
            JsonNode next = response.path("paging").path("next").path("after");
            boolean more = !next.isMissingNode() && !next.isNull() && !results.isEmpty();
            boolean capped = more && offset(next.asText()) >= RESULT_CAP;
            pending = more && !capped ? fetch(integrationId, path, body(object, filters, sortBy, next.asText())) : null;
            if (!results.isEmpty()) {
                try {
                    page.accept(results);
                } catch (RuntimeException e) {
                    if (pending != null) {
                        pending.cancel(false);
                    }
                    throw e;
                }
            }
            if (!more) {
                return Optional.empty();
            }
            if (capped) {
                return Optional.of(results.get(results.size() - 1));
            }
        }
    }

    private CompletableFuture<JsonNode> fetch(UUID integrationId, String path, ObjectNode body) {
        // The prefetch thread logs for the same run as the caller.
        return CompletableFuture.supplyAsync(LogContext.propagate(() -> client.post(integrationId, path, body)),
                prefetch);
    }

    /** The page, or the fetch's own failure (a HubSpotApiException, a ReauthRequiredException) as thrown. */
    private static JsonNode await(CompletableFuture<JsonNode> pending) {
        try {
            return pending.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private ObjectNode body(HubSpotObject object, List<Filter> filters, String sortBy, String after) {
        ObjectNode body = json.createObjectNode();
        ArrayNode group = body.putArray("filterGroups").addObject().putArray("filters");
        for (Filter filter : filters) {
            ObjectNode node = group.addObject().put("propertyName", filter.property()).put("operator", filter.operator());
            if (filter.values() != null) {
                filter.values().forEach(node.putArray("values")::add);
            } else {
                node.put("value", filter.value());
            }
        }
        body.putArray("sorts").addObject().put("propertyName", sortBy).put("direction", "ASCENDING");
        ArrayNode requested = body.putArray("properties");
        properties.propertiesOf(object).forEach(requested::add);
        if (!properties.propertiesOf(object).contains(object.modifiedProperty())) {
            requested.add(object.modifiedProperty());
        }
        body.put("limit", properties.pageSize());
        if (after != null) {
            body.put("after", after);
        }
        return body;
    }

    private static long offset(String after) {
        try {
            return Long.parseLong(after);
        } catch (NumberFormatException e) {
            // Not an offset HubSpot documents; treat it as past the cap so a fresh query takes over.
            return RESULT_CAP;
        }
    }

    private static String millis(Instant instant) {
        return Long.toString(instant.toEpochMilli());
    }
}
