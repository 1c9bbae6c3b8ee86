package io.tributary.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.ingest.Source;
import io.tributary.ingest.SourceRegistry;
import io.tributary.workspace.Workspace;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/sources")
public class SourcesController {

    private final SourceRegistry sources;

    public SourcesController(SourceRegistry sources) {
        this.sources = sources;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    public Source register(Workspace workspace, @RequestBody(required = false) byte[] rawBody) {
        JsonNode body = JsonFields.object(JsonFields.parse(rawBody));
        String key = JsonFields.requiredText(body, "key", 63);
        String displayName = JsonFields.requiredText(body, "display_name", 200);
        if (!SourceRegistry.KEY_PATTERN.matcher(key).matches()) {
            throw ApiException.validation("key",
                    "must be 2-63 characters: a lowercase letter, then lowercase letters, digits or _");
        }
        if (SourceRegistry.isBuiltIn(key)) {
            throw new ApiException(HttpStatus.CONFLICT, "reserved_source_key",
                    "'" + key + "' is a built-in system and cannot be registered");
        }
        if (sources.register(workspace.id(), key, displayName) == SourceRegistry.Outcome.DUPLICATE) {
            throw new ApiException(HttpStatus.CONFLICT, "source_exists", "Source '" + key + "' already exists");
        }
        return sources.find(workspace.id(), key).orElseThrow();
    }

    /** Built-in systems come first on the first page; custom sources follow in key order. */
    @GetMapping
    public ListPage<Source> list(Workspace workspace, @RequestParam(required = false) Integer limit,
                          @RequestParam(required = false) String cursor) {
        int size = Cursors.limit(limit);
        String after = Cursors.decode(cursor);
        ListPage<Source> custom = ListPage.of(sources.listCustom(workspace.id(), after, size + 1), size, Source::key);
        List<Source> items = new ArrayList<>();
        if (after == null) {
            items.addAll(SourceRegistry.builtIns());
        }
        items.addAll(custom.items());
        return new ListPage<>(items, custom.nextCursor());
    }

    @GetMapping("/{key}")
    Source get(Workspace workspace, @PathVariable String key) {
        if (SourceRegistry.isBuiltIn(key)) {
            return SourceRegistry.builtIns().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
        }
        return sources.find(workspace.id(), key).orElseThrow(() -> ApiException.notFound("Source '" + key + "'"));
    }

    @DeleteMapping("/{key}")
    public ResponseEntity<Void> remove(Workspace workspace, @PathVariable String key,
                                @RequestParam(defaultValue = "false") boolean purge) {
        if (SourceRegistry.isBuiltIn(key)) {
            throw new ApiException(HttpStatus.CONFLICT, "reserved_source_key",
                    "'" + key + "' is a built-in system and cannot be removed");
        }
        return switch (sources.remove(workspace.id(), key, purge)) {
            case REMOVED -> ResponseEntity.noContent().build();
            case NOT_FOUND -> throw ApiException.notFound("Source '" + key + "'");
            case HAS_RECORDS -> throw new ApiException(HttpStatus.CONFLICT, "source_has_records",
                    "Source '" + key + "' still has records; delete with ?purge=true to remove them too");
        };
    }
}
