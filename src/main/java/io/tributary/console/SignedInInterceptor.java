package io.tributary.console;

import io.tributary.api.ApiKeyAuthenticationFilter;
import io.tributary.workspace.Workspace;
import io.tributary.workspace.WorkspaceRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Console pages need a signed-in session: its API key's workspace becomes the request's workspace,
 * exactly as a Bearer key does for the API, so the same controllers and rules serve both.
 */
class SignedInInterceptor implements HandlerInterceptor {

    private final WorkspaceRepository workspaces;

    SignedInInterceptor(WorkspaceRepository workspaces) {
        this.workspaces = workspaces;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        Optional<UUID> keyId = ConsoleSession.apiKeyId(request);
        Optional<Workspace> workspace = keyId.flatMap(workspaces::findByApiKeyId);
        if (workspace.isEmpty()) {
            // A session whose key was deleted has ended too.
            SignInRedirect.send(request, response, keyId.isPresent());
            return false;
        }
        request.setAttribute(ApiKeyAuthenticationFilter.WORKSPACE_ATTRIBUTE, workspace.get());
        return true;
    }
}
