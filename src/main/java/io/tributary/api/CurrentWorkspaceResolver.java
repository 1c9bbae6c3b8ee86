package io.tributary.api;

import io.tributary.workspace.Workspace;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Lets a controller method take the caller's Workspace as a parameter. */
class CurrentWorkspaceResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Workspace.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        Object workspace = request.getAttribute(ApiKeyAuthenticationFilter.WORKSPACE_ATTRIBUTE);
        if (workspace == null) {
            // Only reachable if a controller outside /api or /app asks for a workspace: our bug, not the caller's.
            throw new IllegalStateException("No authenticated workspace on this request");
        }
        return workspace;
    }
}
