package io.tributary.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Sends a request without a usable session to the sign-in page. A session that ended (expired, signed
 * out elsewhere, its key deleted) or a form submitted from a page whose session is gone says so there;
 * a first visit does not.
 */
final class SignInRedirect {

    static final String SESSION_ENDED = "session_ended";

    private SignInRedirect() {
    }

    static void send(HttpServletRequest request, HttpServletResponse response, boolean sessionEnded) throws IOException {
        boolean ended = sessionEnded || "POST".equals(request.getMethod())
                || request.getRequestedSessionId() != null && !request.isRequestedSessionIdValid();
        ConsoleSession.signOut(request);
        response.sendRedirect(request.getContextPath() + ConsolePaths.LOGIN + (ended ? "?" + SESSION_ENDED : ""));
    }
}
