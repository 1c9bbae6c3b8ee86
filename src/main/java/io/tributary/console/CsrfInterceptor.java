package io.tributary.console;

import io.tributary.api.CrossSiteRequests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses every console POST (sign-in included) that another site's page sent, as the browser tells
 * (Sec-Fetch-Site), or whose form does not carry the session's CSRF token, unless there is no session
 * left to carry one: that is an ended session, answered with the sign-in page.
 */
class CsrfInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        // Only console controllers take forms; anything else under /console answers 404 or 405 on its own.
        if (!(handler instanceof HandlerMethod) || "GET".equals(request.getMethod())
                || "HEAD".equals(request.getMethod())) {
            return true;
        }
        // Before the token: a forged form is refused even when the browser holds no session to redirect.
        if (CrossSiteRequests.isCrossSite(request)) {
            throw new CrossSiteRejectedException();
        }
        if (!CsrfTokens.matches(request)) {
            // No session at all: it expired (or never was), so the form is not worth a 403; signing in is the way on.
            // The redirect changes nothing, so a forged form gains nothing from it either.
            if (request.getSession(false) == null) {
                SignInRedirect.send(request, response, true);
                return false;
            }
            throw new CsrfRejectedException();
        }
        return true;
    }

    /** Rendered as the console's 403 page by ConsoleErrorPages. */
    static class CsrfRejectedException extends RuntimeException {
        CsrfRejectedException() {
            super("The form's CSRF token is missing or does not match this session");
        }
    }

    /** Rendered as the console's 403 page by ConsoleErrorPages. */
    static class CrossSiteRejectedException extends RuntimeException {
        CrossSiteRejectedException() {
            super("The browser says another site sent this form");
        }
    }
}
