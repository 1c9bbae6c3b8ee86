package io.tributary.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.common.LogContext;
import io.tributary.common.SafeErrors;
import io.tributary.ingest.IngestCounts;
import io.tributary.ingest.IngestRecord;
import io.tributary.ingest.IngestService;
import io.tributary.integration.CatalogRepository;
import io.tributary.integration.ReauthRequiredException;
import io.tributary.sync.Cursor;
import io.tributary.sync.SyncCheckpoint;
import io.tributary.sync.SyncCounts;
import io.tributary.sync.SyncCursorRepository;
import io.tributary.sync.SyncJob;
import io.tributary.sync.SyncJobRunner;
import io.tributary.sync.SyncRunRepository;
import io.tributary.sync.SyncStoppedException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a HubSpot sync job, one run per object. Incremental runs search from the cursor (minus the
 * lookback) and move it after each page's records are committed; full runs walk deals, then their
 * companies, then those companies' contacts, into the store or — catalog_only — into the catalog.
 */
@Component
public class HubSpotSync implements SyncJobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(HubSpotSync.class);

    private final HubSpotSearch search;
    private final HubSpotBatchApi batch;
    private final HubSpotRecordMapper mapper;
    private final IngestService ingest;
    private final CatalogRepository catalog;
    private final SyncRunRepository runs;
    private final SyncCursorRepository cursors;
    private final SyncCheckpoint checkpoint;
    private final HubSpotProperties properties;
    private final ObjectMapper json;
    private final Clock clock;

    public HubSpotSync(HubSpotSearch search, HubSpotBatchApi batch, HubSpotRecordMapper mapper, IngestService ingest,
                       CatalogRepository catalog, SyncRunRepository runs, SyncCursorRepository cursors,
                       SyncCheckpoint checkpoint, HubSpotProperties properties, ObjectMapper json, Clock clock) {
        this.search = search;
        this.batch = batch;
        this.mapper = mapper;
        this.ingest = ingest;
        this.catalog = catalog;
        this.runs = runs;
        this.cursors = cursors;
        this.checkpoint = checkpoint;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String provider() {
        return HubSpotRecordMapper.SYSTEM;
    }

    @Override
    public void run(SyncJob job) {
        HubSpotSyncOptions options = options(job);
        // Ids found by the full mode's earlier runs, which its later runs start from.
        Set<String> dealIds = new LinkedHashSet<>();
        Set<String> companyIds = new LinkedHashSet<>();
        String fatal = null;
        for (SyncJob.SyncRun run : job.runs()) {
            try (LogContext ignored = LogContext.forRun(run.id())) {
                if (fatal != null) {
                    runs.skip(run.id(), "not run: " + fatal);
                    continue;
                }
                HubSpotObject object = HubSpotObject.ofPlural(run.objectType()).orElseThrow();
                runs.start(run.id());
                try {
                    if (!options.isFull()) {
                        incremental(job, run.id(), object, options);
                    } else if (object == HubSpotObject.DEALS) {
                        deals(job, run.id(), options, dealIds, companyIds);
                    } else if (object == HubSpotObject.COMPANIES) {
                        companies(job, run.id(), options, dealIds, companyIds);
                    } else {
                        contacts(job, run.id(), options, companyIds);
                    }
                    runs.finish(run.id(), true, null);
                } catch (SyncStoppedException e) {
                    throw e;
                } catch (ReauthRequiredException e) {
                    fatal = e.getMessage();
                    runs.finish(run.id(), false, fatal);
                } catch (HubSpotApiException e) {
                    runs.finish(run.id(), false, e.getMessage());
                    if (e.status() == 401) {
                        fatal = e.getMessage();
                    }
                } catch (RuntimeException e) {
                    // Ended elsewhere (a stall, a takeover) and interrupted: that end stands, this failure is its echo.
                    checkpoint.reached(job);
                    LOG.error("HubSpot sync run {} failed: {}", run.id(), SafeErrors.describe(e));
                    runs.finish(run.id(), false, "internal error: " + SafeErrors.describe(e));
                }
            }
        }
    }

    private void incremental(SyncJob job, UUID runId, HubSpotObject object, HubSpotSyncOptions options) {
        Instant from = start(job, object, options);
        search.modifiedSince(job.integrationId(), object, from, page -> {
            store(job, runId, object, page, options);
            JsonNode last = page.get(page.size() - 1);
            Instant lastModified = HubSpotTimes.modifiedAt(last, object);
            if (lastModified != null) {
                // Only now: the page's records are committed, so a crash from here on re-reads, never skips.
                cursors.save(job.integrationId(), object.plural(), new Cursor(lastModified, last.path("id").asText()));
            }
            checkpoint.reached(job);
        });
    }

    /**
     * Cursor minus lookback; a backfill window reaches further back; the first sync, the initial
     * window. A resume goes on from what the job it continues committed, its backfill included.
     */
    private Instant start(SyncJob job, HubSpotObject object, HubSpotSyncOptions options) {
        Optional<Cursor> resumed = cursors.resumePoint(job.id(), object.plural());
        if (resumed.isPresent()) {
            return resumed.get().time().minus(properties.lookback());
        }
        UUID integrationId = job.integrationId();
        Instant now = clock.instant();
        if (options.backfillAll()) {
            return Instant.EPOCH;
        }
        Duration backfill = options.backfillWindow();
        if (backfill != null) {
            return now.minus(backfill);
        }
        Optional<Cursor> cursor = cursors.find(integrationId, object.plural());
        return cursor.map(c -> c.time().minus(properties.lookback()))
                .orElseGet(() -> now.minus(properties.initialWindow()));
    }

    private void deals(SyncJob job, UUID runId, HubSpotSyncOptions options, Set<String> dealIds, Set<String> companyIds) {
        List<HubSpotSearch.Filter> filters = new ArrayList<>();
        if (options.dealStages() != null && !options.dealStages().isEmpty()) {
            filters.add(HubSpotSearch.Filter.in("dealstage", options.dealStages()));
        }
        if (!options.backfillAll() && options.backfillWindow() != null) {
            filters.add(HubSpotSearch.Filter.of(HubSpotObject.DEALS.modifiedProperty(), "GTE",
                    Long.toString(clock.instant().minus(options.backfillWindow()).toEpochMilli())));
        }
        search.byId(job.integrationId(), HubSpotObject.DEALS, filters, page -> {
            Map<String, List<String>> companies = store(job, runId, HubSpotObject.DEALS, page, options);
            page.forEach(deal -> dealIds.add(deal.path("id").asText()));
            companies.values().forEach(companyIds::addAll);
            checkpoint.reached(job);
        });
    }

    private void companies(SyncJob job, UUID runId, HubSpotSyncOptions options, Set<String> dealIds,
                           Set<String> companyIds) {
        if (companyIds.isEmpty() && dealIds.isEmpty() && !options.objectsInOrder().contains(HubSpotObject.DEALS)) {
            // Companies alone in full mode: every company, by id.
            search.byId(job.integrationId(), HubSpotObject.COMPANIES, List.of(), page -> {
                page.forEach(company -> companyIds.add(company.path("id").asText()));
                checkpoint.reached(job);
            });
        }
        readAndStore(job, runId, HubSpotObject.COMPANIES, new ArrayList<>(companyIds), options);
    }

    private void contacts(SyncJob job, UUID runId, HubSpotSyncOptions options, Set<String> companyIds) {
        Set<String> contactIds = new LinkedHashSet<>();
        batch.associations(job.integrationId(), HubSpotObject.COMPANIES.plural(), HubSpotObject.CONTACTS.plural(),
                new ArrayList<>(companyIds)).values().forEach(contactIds::addAll);
        readAndStore(job, runId, HubSpotObject.CONTACTS, new ArrayList<>(contactIds), options);
    }

    private void readAndStore(SyncJob job, UUID runId, HubSpotObject object, List<String> ids,
                              HubSpotSyncOptions options) {
        int pageSize = properties.pageSize();
        for (int from = 0; from < ids.size(); from += pageSize) {
            List<JsonNode> page = batch.read(job.integrationId(), object, ids.subList(from, Math.min(ids.size(), from + pageSize)));
            if (!page.isEmpty()) {
                store(job, runId, object, page, options);
            }
            checkpoint.reached(job);
        }
    }

    /** Maps one page (with its associations) and commits it to the store or the catalog; returns the associations. */
    private Map<String, List<String>> store(SyncJob job, UUID runId, HubSpotObject object, List<JsonNode> page,
                                            HubSpotSyncOptions options) {
        List<String> ids = page.stream().map(o -> o.path("id").asText()).toList();
        Map<String, List<String>> associated = object.associatedWith()
                .map(to -> batch.associations(job.integrationId(), object.plural(), to, ids))
                .orElse(Map.of());
        List<IngestRecord> records = new ArrayList<>(page.size());
        for (JsonNode result : page) {
            mapper.map(job.workspaceId(), job.integrationId(), object, result,
                    associated.getOrDefault(result.path("id").asText(), List.of())).ifPresent(records::add);
        }
        long failed = page.size() - records.size();
        if (options.catalogOnly()) {
            catalog.upsert(job.integrationId(), records.stream().map(record -> new CatalogRepository.Entry(
                    record.objectType(), record.objectId(), properties(record))).toList());
            runs.add(runId, new SyncCounts(page.size(), records.size(), 0, failed));
        } else {
            IngestCounts counts = ingest.ingest(records);
            runs.add(runId, new SyncCounts(page.size(), counts.inserted() + counts.updated() + counts.unchanged(),
                    counts.stale(), failed));
        }
        return associated;
    }

    private String properties(IngestRecord record) {
        try {
            return json.readTree(record.payloadJson()).path("properties").toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HubSpotSyncOptions options(SyncJob job) {
        try {
            return json.readValue(job.optionsJson(), HubSpotSyncOptions.class);
        } catch (IOException e) {
            throw new IllegalStateException("stored sync options are not readable", e);
        }
    }
}
