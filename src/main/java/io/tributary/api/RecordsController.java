package io.tributary.api;

import io.tributary.common.IsoTimestamps;
import io.tributary.ingest.RecordRepository.IntegrationFilter;
import io.tributary.ingest.RecordRepository;
import io.tributary.ingest.StoredRecord;
import io.tributary.workspace.Workspace;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reads records back. integration_id=none selects records pushed through the API (no integration). */
@RestController
@RequestMapping("/api/v1/records")
public class RecordsController {

    private final RecordRepository records;

    public RecordsController(RecordRepository records) {
        this.records = records;
    }

    @GetMapping
    ListPage<StoredRecord> list(Workspace workspace,
                                @RequestParam(required = false) String system,
                                @RequestParam(name = "object_type", required = false) String objectType,
                                @RequestParam(name = "integration_id", required = false) String integrationId,
                                @RequestParam(name = "updated_since", required = false) String updatedSince,
                                @RequestParam(required = false) Integer limit,
                                @RequestParam(required = false) String cursor) {
        int size = Cursors.limit(limit);
        RecordRepository.Filter filter = new RecordRepository.Filter(Cursors.filter("system", system),
                Cursors.filter("object_type", objectType), integration(integrationId), timestamp(updatedSince));
        RecordRepository.Page page = records.page(workspace.id(), filter, Cursors.decodeLong(cursor), size);
        return new ListPage<>(page.items(), page.lastId() == null ? null : Cursors.encode(page.lastId().toString()));
    }

    @GetMapping("/{system}/{objectType}/{objectId}")
    StoredRecord get(Workspace workspace, @PathVariable String system, @PathVariable String objectType,
                     @PathVariable String objectId,
                     @RequestParam(name = "integration_id", required = false) String integrationId) {
        List<StoredRecord> found =
                records.find(workspace.id(), system, objectType, objectId, integration(integrationId));
        if (found.isEmpty()) {
            throw ApiException.notFound("Record " + system + "/" + objectType + "/" + objectId);
        }
        if (found.size() > 1) {
            throw new ApiException(HttpStatus.CONFLICT, "ambiguous_record",
                    "This id exists under several integrations; name one with ?integration_id= (none for pushed)",
                    found.stream().map(r -> Map.<String, Object>of("integration_id",
                            r.integrationId() == null ? "none" : r.integrationId().toString())).toList());
        }
        return found.get(0);
    }

    private static IntegrationFilter integration(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.equals("none")) {
            return IntegrationFilter.PUSHED;
        }
        try {
            return IntegrationFilter.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("integration_id", "must be an integration id or 'none'");
        }
    }

    private static Instant timestamp(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant since = IsoTimestamps.parse(value);
            if (IsoTimestamps.isStorable(since)) {
                return since;
            }
        } catch (DateTimeParseException e) {
            // answered below, as any other timestamp the store cannot compare with
        }
        throw ApiException.validation("updated_since",
                "must be an ISO-8601 timestamp with offset between years 1 and 9999");
    }

}
