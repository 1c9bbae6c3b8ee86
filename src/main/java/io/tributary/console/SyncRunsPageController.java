package io.tributary.console;

import io.tributary.api.SyncRunsController;
import io.tributary.sync.SyncRunRepository;
import io.tributary.workspace.Workspace;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The Sync Runs page: every run of the workspace, newest first, by pages, filterable; and one run in detail. */
@Controller
@RequestMapping(ConsolePaths.ROOT + "/sync-runs")
class SyncRunsPageController {

    private static final int PAGE_SIZE = 20;
    private static final int BATCH_PAGE_SIZE = 100;

    /** A run as the table shows it. */
    record RunRow(String id, String shortId, String provider, String objectType, String trigger, String status,
                  Object fetched, Object ingested, Object failed, Object skipped, String started, String duration) {

        static RunRow of(Map<String, Object> run) {
            String id = run.get("id").toString();
            return new RunRow(id, id.substring(0, 8), ConsoleText.provider((String) run.get("provider")),
                    (String) run.get("object_type"), (String) run.get("trigger"), (String) run.get("status"),
                    run.get("fetched"), run.get("ingested"), run.get("failed"), run.get("skipped"),
                    ConsoleText.time(run.get("started_at")), ConsoleText.duration(run.get("duration_ms")));
        }
    }

    private final SyncRunsController runs;

    SyncRunsPageController(SyncRunsController runs) {
        this.runs = runs;
    }

    @GetMapping
    String page(Workspace workspace, @RequestParam(defaultValue = "") String provider,
                @RequestParam(defaultValue = "") String status, @RequestParam(defaultValue = "0") int page,
                Model model) {
        Map<String, Object> answer = runs.list(workspace, null, provider, status, null, Math.max(page, 0), PAGE_SIZE);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) answer.get("items");
        long total = ((Number) answer.get("total")).longValue();
        model.addAttribute("runs", items.stream().map(RunRow::of).toList());
        model.addAttribute("providers", runs.providers());
        model.addAttribute("statuses", SyncRunRepository.STATUSES);
        model.addAttribute("provider", provider);
        model.addAttribute("status", status);
        model.addAttribute("page", Math.max(page, 0));
        model.addAttribute("pages", Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE));
        model.addAttribute("total", total);
        return "console/sync-runs";
    }

    /**
     * One run: its last batches (as the API's detail shows them), or with page one page of all its
     * batches in commit order, so a run of thousands of batches stays a page of bounded size.
     */
    @GetMapping("/{id}")
    String run(Workspace workspace, @PathVariable UUID id, @RequestParam(required = false) Integer page, Model model) {
        Map<String, Object> run = runs.get(workspace, id);
        int batchCount = (Integer) run.get("batch_count");
        int pages = Math.max(1, (batchCount + BATCH_PAGE_SIZE - 1) / BATCH_PAGE_SIZE);
        List<SyncRunRepository.Batch> batches;
        Integer earlier;
        Integer later = null;
        if (page == null) {
            batches = batchesOf(run.get("batches"));
            int firstShown = batchCount - batches.size() + 1;
            // The page holding the batch just before the ones shown.
            earlier = firstShown > 1 ? (firstShown - 2) / BATCH_PAGE_SIZE : null;
        } else {
            int shownPage = Math.min(Math.max(page, 0), pages - 1);
            batches = batchesOf(runs.batches(workspace, id, shownPage, BATCH_PAGE_SIZE).get("items"));
            earlier = shownPage > 0 ? shownPage - 1 : null;
            later = shownPage + 1 < pages ? shownPage + 1 : null;
            model.addAttribute("batchPage", shownPage);
        }
        model.addAttribute("run", RunRow.of(run));
        model.addAttribute("integrationId", run.get("integration_id"));
        model.addAttribute("queued", ConsoleText.time(run.get("queued_at")));
        model.addAttribute("finished", ConsoleText.time(run.get("finished_at")));
        model.addAttribute("error", run.get("error"));
        model.addAttribute("batches", batches.stream()
                .map(batch -> Map.of("sequence", batch.sequence(), "fetched", batch.fetched(),
                        "ingested", batch.ingested(), "skipped", batch.skipped(), "failed", batch.failed(),
                        "committed", ConsoleText.time(batch.committedAt())))
                .toList());
        model.addAttribute("batchCount", batchCount);
        model.addAttribute("batchPages", pages);
        model.addAttribute("earlier", earlier);
        model.addAttribute("later", later);
        return "console/sync-run";
    }

    private static List<SyncRunRepository.Batch> batchesOf(Object batches) {
        return ((List<?>) batches).stream().map(batch -> (SyncRunRepository.Batch) batch).toList();
    }
}
