package io.tributary.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.ingest.IngestBatchParser;
import io.tributary.ingest.IngestCounts;
import io.tributary.ingest.IngestService;
import io.tributary.ingest.SourceRegistry;
import io.tributary.ingest.Violation;
import io.tributary.workspace.Workspace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** POST /api/v1/ingest/batch: records pushed by any system. All or nothing at validation. */
@RestController
public class IngestController {

    private final IngestService ingest;
    private final SourceRegistry sources;
    private final int maxBatch;

    public IngestController(IngestService ingest, SourceRegistry sources,
                            @Value("${tributary.ingest.max-batch}") int maxBatch) {
        this.ingest = ingest;
        this.sources = sources;
        this.maxBatch = maxBatch;
    }

    @PostMapping(path = "/api/v1/ingest/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> ingestBatch(Workspace workspace, @RequestBody(required = false) byte[] rawBody) {
        JsonNode records = JsonFields.object(JsonFields.parse(rawBody)).get("records");
        if (records == null || !records.isArray()) {
            throw ApiException.validation("records", "is required and must be an array of records");
        }
        if (records.isEmpty()) {
            throw ApiException.validation("records", "must not be empty");
        }
        if (records.size() > maxBatch) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "batch_too_large",
                    "A batch holds at most " + maxBatch + " records; this one has " + records.size());
        }
        IngestBatchParser.Result parsed =
                new IngestBatchParser(workspace.id(), sources.knownSystems(workspace.id())).parse(records);
        if (!parsed.violations().isEmpty()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "validation_failed",
                    parsed.violations().size() + " problem(s) in the batch; nothing was stored",
                    details(parsed.violations()));
        }
        IngestCounts counts = ingest.ingest(parsed.records());
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("received", counts.received());
        response.put("inserted", counts.inserted());
        response.put("updated", counts.updated());
        response.put("unchanged", counts.unchanged());
        response.put("stale", counts.stale());
        return response;
    }

    private static List<Map<String, Object>> details(List<Violation> violations) {
        return violations.stream()
                .map(v -> Map.<String, Object>of("index", v.index(), "field", v.field(), "message", v.message()))
                .toList();
    }
}
