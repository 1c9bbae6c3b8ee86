package io.tributary.api;

import io.tributary.workspace.ApiKeys;
import io.tributary.workspace.Workspace;
import io.tributary.workspace.WorkspaceRepository;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Operator endpoints, guarded by tributary.admin-token; absent entirely when no token is configured. */
@RestController
public class AdminController {

    private final WorkspaceRepository workspaces;
    private final AdminToken adminToken;

    public AdminController(WorkspaceRepository workspaces, AdminToken adminToken) {
        this.workspaces = workspaces;
        this.adminToken = adminToken;
    }

    @PostMapping(path = "/admin/v1/workspaces", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> createWorkspace(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        adminToken.require(request);
        String name = JsonFields.requiredText(JsonFields.object(JsonFields.parse(body)), "name", 200);
        String apiKey = ApiKeys.generate();
        Workspace workspace = workspaces.create(name, apiKey);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("id", workspace.id());
        response.put("name", workspace.name());
        response.put("api_key", apiKey);
        return response;
    }
}
