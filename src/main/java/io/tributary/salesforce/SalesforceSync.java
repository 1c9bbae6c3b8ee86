package io.tributary.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.common.LogContext;
import io.tributary.common.Prefetcher;
import io.tributary.common.SafeErrors;
import io.tributary.ingest.IngestCounts;
import io.tributary.ingest.IngestRecord;
import io.tributary.ingest.IngestService;
import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationRepository;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs one Salesforce sync job (one object): queryAll from the (SystemModstamp, Id) cursor — or the
 * backfill start — following nextRecordsUrl, writing each batch through the ingest path before the
 * cursor moves. It stops early, partial, before the org's daily API calls fall under the reserve,
 * and on 403 REQUEST_LIMIT_EXCEEDED; the next run resumes from the cursor.
 */
@Component
public class SalesforceSync implements SyncJobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceSync.class);

    private final SalesforceApi api;
    private final SalesforceRecordMapper mapper;
    private final IngestService ingest;
    private final IntegrationRepository integrations;
    private final SyncRunRepository runs;
    private final SyncCursorRepository cursors;
    private final SyncCheckpoint checkpoint;
    private final SalesforceProperties properties;
    private final ObjectMapper json;
    private final Clock clock;
    private final Prefetcher prefetcher;

    public SalesforceSync(SalesforceApi api, SalesforceRecordMapper mapper, IngestService ingest,
                          IntegrationRepository integrations, SyncRunRepository runs, SyncCursorRepository cursors,
                          SyncCheckpoint checkpoint, SalesforceProperties properties, ObjectMapper json, Clock clock,
                          Prefetcher prefetcher) {
        this.api = api;
        this.mapper = mapper;
        this.ingest = ingest;
        this.integrations = integrations;
        this.runs = runs;
        this.cursors = cursors;
        this.checkpoint = checkpoint;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        this.prefetcher = prefetcher;
    }

    @Override
    public String provider() {
        return SalesforceRecordMapper.SYSTEM;
    }

    @Override
    public void run(SyncJob job) {
        for (SyncJob.SyncRun run : job.runs()) {
            try (LogContext ignored = LogContext.forRun(run.id())) {
                runs.start(run.id());
                try {
                    SalesforceObject object = SalesforceObject.ofPlural(run.objectType()).orElseThrow();
                    String stopped = sync(job, run.id(), object);
                    if (stopped == null) {
                        runs.finish(run.id(), true, null);
                    } else {
                        runs.finishPartial(run.id(), stopped);
                    }
                } catch (SalesforceApiException e) {
                    if (e.status() == 403 && "REQUEST_LIMIT_EXCEEDED".equals(e.errorCode())) {
                        runs.finishPartial(run.id(), "the org's daily API limit is used up (REQUEST_LIMIT_EXCEEDED); "
                                + "the next sync resumes from the cursor");
                    } else {
                        runs.finish(run.id(), false, e.getMessage());
                    }
                } catch (SyncStoppedException e) {
                    throw e;
                } catch (ReauthRequiredException e) {
                    runs.finish(run.id(), false, e.getMessage());
                } catch (RuntimeException e) {
                    // Ended elsewhere (a stall, a takeover) and interrupted: that end stands, this failure is its echo.
                    checkpoint.reached(job);
                    LOG.error("Salesforce sync run {} failed: {}", run.id(), SafeErrors.describe(e));
                    runs.finish(run.id(), false, "internal error: " + SafeErrors.describe(e));
                }
            }
        }
    }

    /** Syncs the object; returns why it stopped early, or null when it reached the end. */
    private String sync(SyncJob job, UUID runId, SalesforceObject object) {
        Integration integration = integrations.find(job.integrationId()).orElseThrow();
        JsonNode config = readTree(integration.config());
        boolean personAccounts = config.path("person_accounts").asBoolean(false);
        String backfill = readTree(job.optionsJson()).path("backfill").asText(null);
        // A backfill starts from its window, unless this resumes one that already got somewhere.
        Cursor cursor = (backfill == null ? cursors.find(job.integrationId(), object.plural())
                : cursors.resumePoint(job.id(), object.plural())).orElse(null);
        Duration window = SalesforceSyncOptions.window(backfill != null ? backfill
                : config.path("backfill").asText(properties.defaultBackfill()));
        Instant since = window == null ? Instant.EPOCH : clock.instant().minus(window);

        String soql = Soql.incremental(object.sObject(), fields(object, personAccounts), cursor, since);
        SalesforceApi.Answer answer = api.query(job.integrationId(), soql, true);
        checkpoint.progressed(job);
        while (true) {
            String reserve = belowReserve(answer);
            String next = answer.body().path("nextRecordsUrl").asText("");
            boolean more = reserve == null && !answer.body().path("done").asBoolean(true) && !next.isEmpty();
            // The next page is read while this one is written; at most two pages are in memory.
            CompletableFuture<SalesforceApi.Answer> pending = more
                    ? prefetcher.fetch(() -> nextPage(job, next)) : null;
            try {
                store(job, runId, object, answer.body().path("records"));
                checkpoint.reached(job);
            } catch (RuntimeException e) {
                if (pending != null) {
                    pending.cancel(false);
                }
                throw e;
            }
            if (!more) {
                return reserve;
            }
            answer = Prefetcher.await(pending);
        }
    }

    private SalesforceApi.Answer nextPage(SyncJob job, String nextRecordsUrl) {
        SalesforceApi.Answer answer = api.next(job.integrationId(), nextRecordsUrl);
        checkpoint.progressed(job);
        return answer;
    }

    private void store(SyncJob job, UUID runId, SalesforceObject object, JsonNode rows) {
        List<IngestRecord> records = new ArrayList<>(rows.size());
        long personContacts = 0;
        JsonNode last = null;
        for (JsonNode row : rows) {
            last = row;
            if (mapper.isPersonAccountContact(object, row)) {
                personContacts++;
                continue;
            }
            mapper.map(job.workspaceId(), job.integrationId(), object, row).ifPresent(records::add);
        }
        if (last == null) {
            return;
        }
        long failed = rows.size() - personContacts - records.size();
        IngestCounts counts = ingest.ingest(records);
        runs.add(runId, new SyncCounts(rows.size(), counts.inserted() + counts.updated() + counts.unchanged(),
                counts.stale() + personContacts, failed));
        Instant modstamp = SalesforceRecordMapper.time(last.path("SystemModstamp").asText(null));
        if (modstamp != null) {
            // Only now: the batch is committed, so a crash from here on re-reads, never skips.
            cursors.save(job.integrationId(), object.plural(), new Cursor(modstamp, last.path("Id").asText()));
        }
    }

    /** The reason to stop when the org's remaining daily API calls fell under the reserve; else null. */
    private String belowReserve(SalesforceApi.Answer answer) {
        if (answer.max() <= 0) {
            return null;
        }
        long remaining = answer.max() - answer.used();
        if (remaining * 100 < answer.max() * (long) properties.apiReservePercent()) {
            return "stopped with " + remaining + " of the org's " + answer.max() + " daily API calls left, to keep "
                    + properties.apiReservePercent() + "% in reserve; the next sync resumes from the cursor";
        }
        return null;
    }

    private List<String> fields(SalesforceObject object, boolean personAccounts) {
        List<String> fields = new ArrayList<>(properties.fieldsOf(object.plural()));
        if (personAccounts) {
            fields.add("IsPersonAccount");
            if (object == SalesforceObject.ACCOUNTS) {
                fields.addAll(properties.fieldsOf("person_accounts"));
            }
        }
        return fields;
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text == null ? "{}" : text);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is not readable", e);
        }
    }
}
