package io.tributary.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
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

    /** Signs in on a fresh session id, so an id planted before sign-in (session fixation) is worth nothing. */
    static void signIn(HttpServletRequest request, UUID apiKeyId) {
        request.getSession(true);
        request.changeSessionId();
        request.getSession().setAttribute(API_KEY_ID, apiKeyId);
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
