package io.tributary.api;

import io.tributary.workspace.Authentication;
import io.tributary.workspace.Workspace;
import io.tributary.workspace.WorkspaceRepository;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every /api/** and /app/** call names its workspace with "Authorization: Bearer <api key>".
 * OAuth callbacks are the exception: the provider's redirect carries no key, their single-use
 * state authenticates them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    /** The request attribute holding the authenticated Workspace (the console's session sets it too). */
    public static final String WORKSPACE_ATTRIBUTE = Workspace.class.getName();
    /** The request attribute holding the id (UUID) of the Bearer key the request was made with. */
    public static final String API_KEY_ID_ATTRIBUTE = "io.tributary.api.ApiKeyAuthenticationFilter.apiKeyId";
    private static final Pattern OAUTH_CALLBACK = Pattern.compile("/app/integrations/[^/]+/callback");

    private final WorkspaceRepository workspaces;
    private final ErrorResponses errors;

    public ApiKeyAuthenticationFilter(WorkspaceRepository workspaces, ErrorResponses errors) {
        this.workspaces = workspaces;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RequestPaths.of(request);
        boolean protectedPath = path.startsWith("/api/") || path.startsWith("/app/");
        return !protectedPath || OAUTH_CALLBACK.matcher(path).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Authentication> authentication = BearerToken.of(request).flatMap(workspaces::findByApiKey);
        if (authentication.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer");
            errors.write(request, response, HttpStatus.UNAUTHORIZED, "unauthenticated",
                    "A valid API key is required: Authorization: Bearer <api key>");
            return;
        }
        request.setAttribute(WORKSPACE_ATTRIBUTE, authentication.get().workspace());
        request.setAttribute(API_KEY_ID_ATTRIBUTE, authentication.get().apiKeyId());
        chain.doFilter(request, response);
    }
}
