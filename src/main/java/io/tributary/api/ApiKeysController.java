package io.tributary.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.workspace.ApiKey;
import io.tributary.workspace.ApiKeyRepository;
import io.tributary.workspace.ApiKeys;
import io.tributary.workspace.Workspace;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The workspace's own API keys, managed with any of them: add one (shown once), list them (never a
 * key or its hash), delete one — so a key can be rotated or a leaked one revoked without SQL.
 */
@RestController
@RequestMapping("/api/v1/api-keys")
public class ApiKeysController {

    private static final int MAX_NAME_LENGTH = 100;

    private final ApiKeyRepository apiKeys;

    public ApiKeysController(ApiKeyRepository apiKeys) {
        this.apiKeys = apiKeys;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> create(Workspace workspace, @RequestBody(required = false) byte[] rawBody) {
        JsonNode body = JsonFields.object(JsonFields.parse(rawBody));
        String name = body.hasNonNull("name") ? JsonFields.requiredText(body, "name", MAX_NAME_LENGTH) : null;
        String key = ApiKeys.generate();
        Map<String, Object> view = view(apiKeys.create(workspace.id(), name, key));
        view.put("api_key", key);
        return view;
    }

    /** Every key of the workspace, oldest first; "current" marks the one this request was made with. */
    @GetMapping
    ListPage<Map<String, Object>> list(Workspace workspace,
                                       @RequestAttribute(ApiKeyAuthenticationFilter.API_KEY_ID_ATTRIBUTE) UUID current) {
        return new ListPage<>(apiKeys.list(workspace.id()).stream().map(key -> {
            Map<String, Object> view = view(key);
            view.put("current", key.id().equals(current));
            return view;
        }).toList(), null);
    }

    /** The key stops working with the next request, and the console sessions signed in with it end. */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(Workspace workspace, @PathVariable UUID id) {
        return switch (apiKeys.delete(workspace.id(), id)) {
            case DELETED -> ResponseEntity.noContent().build();
            case NOT_FOUND -> throw ApiException.notFound("API key");
            case LAST_KEY -> throw new ApiException(HttpStatus.CONFLICT, "last_api_key",
                    "This is the workspace's last API key, and a workspace needs one: create another key first");
        };
    }

    private static Map<String, Object> view(ApiKey key) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", key.id());
        view.put("name", key.name());
        view.put("prefix", key.prefix());
        view.put("created_at", key.createdAt());
        return view;
    }
}
