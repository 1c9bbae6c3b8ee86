package io.tributary.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.hubspot.HubSpotClient;
import io.tributary.hubspot.HubSpotObject;
import io.tributary.hubspot.HubSpotRecordMapper;
import io.tributary.hubspot.HubSpotSyncOptions;
import io.tributary.hubspot.HubSpotSyncRequests;
import io.tributary.integration.CatalogRepository;
import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationRepository;
import io.tributary.salesforce.SalesforceObject;
import io.tributary.salesforce.SalesforceRecordMapper;
import io.tributary.salesforce.SalesforceSyncOptions;
import io.tributary.salesforce.SalesforceSyncRequests;
import io.tributary.sync.Cursor;
import io.tributary.sync.SyncCursorRepository;
import io.tributary.sync.SyncRequests;
import io.tributary.sync.SyncRunRepository;
import io.tributary.workspace.Workspace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Syncing one integration: request a sync, follow its runs, reset cursors, browse its catalog. */
@RestController
@RequestMapping("/api/v1/integrations/{id}")
public class IntegrationSyncController {

    private static final List<String> HUBSPOT_OBJECTS = Arrays.stream(HubSpotObject.values())
            .map(HubSpotObject::plural).toList();
    private static final List<String> SALESFORCE_OBJECTS = Arrays.stream(SalesforceObject.values())
            .map(SalesforceObject::plural).toList();

    private final IntegrationRepository integrations;
    private final HubSpotSyncRequests hubSpotSyncs;
    private final SyncRunRepository runs;
    private final SyncCursorRepository cursors;
    private final CatalogRepository catalog;
    private final HubSpotClient hubSpot;
    private final SalesforceSyncRequests salesforceSyncs;

    public IntegrationSyncController(IntegrationRepository integrations, HubSpotSyncRequests hubSpotSyncs,
                                     SyncRunRepository runs, SyncCursorRepository cursors, CatalogRepository catalog,
                                     HubSpotClient hubSpot, SalesforceSyncRequests salesforceSyncs) {
        this.salesforceSyncs = salesforceSyncs;
        this.integrations = integrations;
        this.hubSpotSyncs = hubSpotSyncs;
        this.runs = runs;
        this.cursors = cursors;
        this.catalog = catalog;
        this.hubSpot = hubSpot;
    }

    @PostMapping("/sync")
    public ResponseEntity<Map<String, Object>> sync(Workspace workspace, @PathVariable UUID id,
                                             @RequestBody(required = false) byte[] rawBody) {
        Integration integration = syncable(workspace, id);
        if (!integration.isConnected()) {
            throw new ApiException(HttpStatus.CONFLICT, "not_connected",
                    "The integration is " + integration.status() + ": connect it again before syncing");
        }
        List<UUID> runIds;
        if (integration.provider().equals(SalesforceRecordMapper.SYSTEM)) {
            String backfill = rawBody == null || rawBody.length == 0 ? null : JsonFields.optionalChoice(
                    JsonFields.object(JsonFields.parse(rawBody)), "backfill", SalesforceSyncOptions.BACKFILLS);
            runIds = salesforceSyncs.request(integration, backfill, SyncRequests.MANUAL, new ArrayList<>());
        } else {
            runIds = hubSpotSyncs.request(integration, hubSpotOptions(rawBody), SyncRequests.MANUAL).orElse(List.of());
        }
        if (runIds.isEmpty()) {
            return ResponseEntity.ok(Map.of("skipped", true, "reason", "sync_in_progress"));
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("sync_run_ids", runIds));
    }

    @GetMapping("/sync/status")
    public Map<String, Object> status(Workspace workspace, @PathVariable UUID id) {
        Integration integration = syncable(workspace, id);
        Map<String, SyncRunRepository.ObjectSummary> summaries = runs.summaries(integration.id());
        Map<String, Cursor> positions = cursors.findAll(integration.id());
        Map<String, Object> objects = new LinkedHashMap<>();
        for (String object : objectsOf(integration)) {
            SyncRunRepository.ObjectSummary summary = summaries.get(object);
            Cursor cursor = positions.get(object);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("status", summary == null ? "idle" : summary.lastRun().status());
            view.put("total_synced", summary == null ? 0 : summary.totalSynced());
            view.put("total_skipped", summary == null ? 0 : summary.totalSkipped());
            view.put("error_message", summary == null ? null : summary.lastRun().error());
            view.put("cursor", cursor == null ? null : Map.of("time", cursor.time().toString(), "id", cursor.id()));
            view.put("last_run_id", summary == null ? null : summary.lastRun().id());
            objects.put(object, view);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("integration_id", integration.id());
        body.put("integration_status", integration.status());
        body.put("objects", objects);
        return body;
    }

    /** Sync runs, newest first, paged by page/size/total (a table people page through). */
    @GetMapping("/sync/runs")
    Map<String, Object> runs(Workspace workspace, @PathVariable UUID id, @RequestParam(defaultValue = "0") int page,
                             @RequestParam(defaultValue = "50") int size) {
        Integration integration = find(workspace, id);
        if (page < 0 || size < 1 || size > 500) {
            throw ApiException.validation(page < 0 ? "page" : "size", page < 0 ? "must be 0 or more" : "must be 1..500");
        }
        SyncRunRepository.Filter filter = SyncRunRepository.Filter.ofIntegration(workspace.id(), integration.id());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", runs.page(filter, page, size));
        body.put("page", page);
        body.put("size", size);
        body.put("total", runs.count(filter));
        return body;
    }

    @PostMapping("/cursor/reset")
    Map<String, Object> resetCursor(Workspace workspace, @PathVariable UUID id,
                                    @RequestBody(required = false) byte[] rawBody) {
        Integration integration = syncable(workspace, id);
        List<String> objects = objectsOf(integration);
        String object = null;
        if (rawBody != null && rawBody.length > 0) {
            object = JsonFields.optionalChoice(JsonFields.object(JsonFields.parse(rawBody)), "object", objects);
        }
        int reset = cursors.reset(integration.id(), object);
        return Map.of("integration_id", integration.id(), "reset", reset,
                "objects", object == null ? objects : List.of(object));
    }

    @GetMapping("/catalog")
    ListPage<Map<String, Object>> catalog(Workspace workspace, @PathVariable UUID id,
                                          @RequestParam(name = "object_type", required = false) String objectType,
                                          @RequestParam(required = false) Integer limit,
                                          @RequestParam(required = false) String cursor) {
        Integration integration = find(workspace, id);
        if (objectType != null && HubSpotObject.ofRecordType(objectType).isEmpty()) {
            throw ApiException.validation("object_type", "must be one of company, contact, deal");
        }
        int size = Cursors.limit(limit);
        String position = Cursors.decode(cursor);
        String[] after = position == null ? new String[] {"", ""} : position.split("/", 2);
        if (after.length != 2) {
            throw ApiException.validation("cursor", "is not a cursor this API returned");
        }
        ListPage<CatalogRepository.Entry> page = ListPage.of(
                catalog.page(integration.id(), objectType, after[0], after[1], size + 1), size,
                last -> last.objectType() + "/" + last.objectId());
        List<Map<String, Object>> items = new ArrayList<>();
        for (CatalogRepository.Entry entry : page.items()) {
            items.add(Map.of("object_type", entry.objectType(), "object_id", entry.objectId(),
                    "properties", JsonFields.parse(entry.propertiesJson().getBytes(StandardCharsets.UTF_8))));
        }
        return new ListPage<>(items, page.nextCursor());
    }

    /** The portal's deal pipelines and their stages, in display order: what deal_stages may name. */
    @GetMapping("/hubspot/pipelines")
    Map<String, Object> pipelines(Workspace workspace, @PathVariable UUID id) {
        Integration integration = hubSpotIntegration(workspace, id);
        if (!integration.isConnected()) {
            throw new ApiException(HttpStatus.CONFLICT, "not_connected", "The integration is " + integration.status());
        }
        JsonNode response = hubSpot.get(integration.id(), "/crm/v3/pipelines/deals");
        List<Map<String, Object>> pipelines = new ArrayList<>();
        for (JsonNode pipeline : response.path("results")) {
            List<Map<String, Object>> stages = new ArrayList<>();
            for (JsonNode stage : pipeline.path("stages")) {
                stages.add(Map.of("id", stage.path("id").asText(), "label", stage.path("label").asText(),
                        "display_order", stage.path("displayOrder").asInt()));
            }
            stages.sort((a, b) -> Integer.compare((int) a.get("display_order"), (int) b.get("display_order")));
            pipelines.add(Map.of("id", pipeline.path("id").asText(), "label", pipeline.path("label").asText(),
                    "display_order", pipeline.path("displayOrder").asInt(), "stages", stages));
        }
        pipelines.sort((a, b) -> Integer.compare((int) a.get("display_order"), (int) b.get("display_order")));
        return Map.of("items", pipelines);
    }

    private HubSpotSyncOptions hubSpotOptions(byte[] rawBody) {
        if (rawBody == null || rawBody.length == 0) {
            return new HubSpotSyncOptions(null, null, "incremental", null);
        }
        JsonNode body = JsonFields.object(JsonFields.parse(rawBody));
        List<String> objects = JsonFields.optionalTextList(body, "objects", HUBSPOT_OBJECTS, HUBSPOT_OBJECTS.size());
        List<String> dealStages = JsonFields.optionalTextList(body, "deal_stages", null, 100);
        String mode = JsonFields.optionalChoice(body, "mode", HubSpotSyncOptions.MODES);
        String backfill = JsonFields.optionalChoice(body, "backfill", HubSpotSyncOptions.BACKFILLS);
        if (dealStages != null && (mode == null || mode.equals("incremental"))) {
            throw ApiException.validation("deal_stages", "applies to mode full or catalog_only");
        }
        return new HubSpotSyncOptions(objects, dealStages, mode == null ? "incremental" : mode, backfill);
    }

    private Integration hubSpotIntegration(Workspace workspace, UUID id) {
        Integration integration = find(workspace, id);
        if (!integration.provider().equals(HubSpotRecordMapper.SYSTEM)) {
            throw new ApiException(HttpStatus.CONFLICT, "not_hubspot", "This is a " + integration.provider()
                    + " integration: it has no HubSpot pipelines");
        }
        return integration;
    }

    /** A HubSpot or Salesforce integration: Stripe integrations receive webhooks and are never synced. */
    private Integration syncable(Workspace workspace, UUID id) {
        Integration integration = find(workspace, id);
        if (objectsOf(integration).isEmpty()) {
            throw new ApiException(HttpStatus.CONFLICT, "not_syncable",
                    integration.provider() + " integrations receive webhooks; they are not synced on request");
        }
        return integration;
    }

    private static List<String> objectsOf(Integration integration) {
        return switch (integration.provider()) {
            case HubSpotRecordMapper.SYSTEM -> HUBSPOT_OBJECTS;
            case SalesforceRecordMapper.SYSTEM -> SALESFORCE_OBJECTS;
            default -> List.of();
        };
    }

    private Integration find(Workspace workspace, UUID id) {
        return integrations.find(workspace.id(), id).orElseThrow(() -> ApiException.notFound("Integration"));
    }
}
