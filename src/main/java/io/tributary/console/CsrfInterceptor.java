package io.tributary.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/** Refuses every console POST whose form does not carry the session's CSRF token (sign-in included). */
class CsrfInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        // Only console controllers take forms; anything else under /console answers 404 or 405 on its own.
        if (handler instanceof HandlerMethod && !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod()) && !CsrfTokens.matches(request)) {
            throw new CsrfRejectedException();
        }
        return true;
    }

    /** Rendered as the console's 403 page by ConsoleExceptionHandler. */
    static class CsrfRejectedException extends RuntimeException {
        CsrfRejectedException() {
            super("The form's CSRF token is missing or does not match this session");
        }
    }
}
