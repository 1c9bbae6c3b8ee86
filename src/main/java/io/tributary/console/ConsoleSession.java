package io.tributary.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * What a console sign-in keeps in the HTTP session: the id of the API key it was made with, never
 * the key itself. Each request looks the key up again, so deleting a key ends its sessions.
 */
final class ConsoleSession {

    private static final String API_KEY_ID = ConsoleSession.class.getName() + ".apiKeyId";

    private ConsoleSession() {
    }

    /**
     * Signs in on a fresh session id and a fresh CSRF token, so neither an id nor a token planted
     * before sign-in (session fixation) is worth anything afterwards; the signed-in session lives
     * for the configured timeout (an anonymous one, only for a sign-in form, much shorter).
     */
    static void signIn(HttpServletRequest request, UUID apiKeyId, Duration timeout) {
        request.getSession(true);
        request.changeSessionId();
        HttpSession session = request.getSession();
        CsrfTokens.renew(session);
        session.setAttribute(API_KEY_ID, apiKeyId);
        session.setMaxInactiveInterval((int) timeout.toSeconds());
    }

    static Optional<UUID> apiKeyId(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return Optional.ofNullable(session == null ? null : (UUID) session.getAttribute(API_KEY_ID));
    }

    static void signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }
}
