package io.tributary.api;

import io.tributary.sync.SyncJobRunner;
import io.tributary.sync.SyncRequests;
import io.tributary.sync.SyncRunRepository;
import io.tributary.workspace.Workspace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every sync run of the workspace, across integrations: a table to page through and filter
 * (page/size/total), one run in detail with its error and its latest committed batches, and all of
 * a run's batches by pages.
 */
@RestController
@RequestMapping("/api/v1/sync-runs")
public class SyncRunsController {

    private static final int DEFAULT_SIZE = 20;
    private static final int MAX_SIZE = 200;

    private final SyncRunRepository runs;
    private final List<String> providers;
    private final int detailBatches;

    public SyncRunsController(SyncRunRepository runs, List<SyncJobRunner> runners,
                              @Value("${tributary.sync-runs.detail-batches}") int detailBatches) {
        if (detailBatches < 0) {
            throw new IllegalArgumentException("tributary.sync-runs.detail-batches must be 0 or more");
        }
        this.runs = runs;
        this.providers = runners.stream().map(SyncJobRunner::provider).sorted().toList();
        this.detailBatches = detailBatches;
    }

    /** The providers a run may belong to: what the provider filter accepts. */
    public List<String> providers() {
        return providers;
    }

    /** How many of a run's batches its detail shows: the last ones. */
    public int detailBatches() {
        return detailBatches;
    }

    /** Newest first. An integration_id of another workspace matches nothing, as every list filter does. */
    @GetMapping
    public Map<String, Object> list(Workspace workspace,
                             @RequestParam(name = "integration_id", required = false) UUID integrationId,
                             @RequestParam(required = false) String provider,
                             @RequestParam(required = false) String status,
                             @RequestParam(required = false) String trigger,
                             @RequestParam(required = false) Integer page,
                             @RequestParam(required = false) Integer size) {
        SyncRunRepository.Filter filter = new SyncRunRepository.Filter(workspace.id(), integrationId,
                choice("provider", provider, providers), choice("status", status, SyncRunRepository.STATUSES),
                choice("trigger", trigger, SyncRequests.TRIGGERS));
        int pageNumber = pageNumber(page);
        int pageSize = pageSize(size);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", runs.page(filter, pageNumber, pageSize).stream().map(SyncRunsController::view).toList());
        body.put("page", pageNumber);
        body.put("size", pageSize);
        body.put("total", runs.count(filter));
        return body;
    }

    /**
     * The run with its (scrubbed) error and what its last batches did, in commit order: a run of a
     * million records has thousands of batches, so the rest are read by pages (batch_count says how many).
     */
    @GetMapping("/{id}")
    public Map<String, Object> get(Workspace workspace, @PathVariable UUID id) {
        SyncRunRepository.Run run = find(workspace, id);
        Map<String, Object> view = view(run);
        view.put("error", run.error());
        view.put("batch_count", run.batchCount());
        view.put("batches", runs.batches(run.id(), Math.max(0, run.batchCount() - detailBatches), detailBatches));
        return view;
    }

    /** Every batch of the run by pages, in commit order. */
    @GetMapping("/{id}/batches")
    public Map<String, Object> batches(Workspace workspace, @PathVariable UUID id,
                                       @RequestParam(required = false) Integer page,
                                       @RequestParam(required = false) Integer size) {
        int pageNumber = pageNumber(page);
        int pageSize = pageSize(size);
        SyncRunRepository.Run run = find(workspace, id);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", runs.batches(run.id(), (long) pageNumber * pageSize, pageSize));
        body.put("page", pageNumber);
        body.put("size", pageSize);
        body.put("total", run.batchCount());
        return body;
    }

    private SyncRunRepository.Run find(Workspace workspace, UUID id) {
        return runs.find(workspace.id(), id).orElseThrow(() -> ApiException.notFound("Sync run"));
    }

    private static int pageNumber(Integer page) {
        int pageNumber = page == null ? 0 : page;
        if (pageNumber < 0) {
            throw ApiException.validation("page", "must be 0 or more");
        }
        return pageNumber;
    }

    private static int pageSize(Integer size) {
        int pageSize = size == null ? DEFAULT_SIZE : size;
        if (pageSize < 1 || pageSize > MAX_SIZE) {
            throw ApiException.validation("size", "must be between 1 and " + MAX_SIZE);
        }
        return pageSize;
    }

    private static Map<String, Object> view(SyncRunRepository.Run run) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", run.id());
        view.put("integration_id", run.integrationId());
        view.put("provider", run.provider());
        view.put("object_type", run.objectType());
        view.put("trigger", run.trigger());
        view.put("status", run.status());
        view.put("fetched", run.fetched());
        view.put("ingested", run.ingested());
        view.put("failed", run.failed());
        view.put("skipped", run.skipped());
        view.put("queued_at", run.queuedAt());
        view.put("started_at", run.startedAt());
        view.put("finished_at", run.finishedAt());
        view.put("duration_ms", run.durationMs());
        return view;
    }

    /** An optional filter value that must be one of the known ones; blank means any. */
    private static String choice(String field, String value, List<String> allowed) {
        String given = Cursors.filter(field, value);
        if (given != null && !allowed.contains(given)) {
            throw ApiException.validation(field, "must be one of " + String.join(", ", allowed));
        }
        return given;
    }
}
