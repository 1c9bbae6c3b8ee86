package io.tributary.api;

import io.tributary.integration.OAuthStateRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.HashMap;
import java.util.Map;

/**
 * Ties an OAuth connect started in a console session to that browser: otherwise anyone could start a
 * connect in their own workspace, send the provider's consent link to someone else, and receive the
 * CRM that person approves. A connect started through the API (no session) carries no binding: its
 * caller opens the link itself.
 */
public final class ConnectBinding {

    private static final String CONTEXT_KEY = "browser_binding";
    // One attribute per connect, so connects started in two tabs of one session both finish.
    private static final String SESSION_ATTRIBUTE = ConnectBinding.class.getName() + ".";

    private ConnectBinding() {
    }

    /** The state's context plus, in a browser session, a nonce that session also keeps. */
    public static Map<String, String> bind(HttpServletRequest request, Map<String, String> context) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return context;
        }
        String nonce = OAuthStateRepository.randomToken();
        session.setAttribute(SESSION_ATTRIBUTE + nonce, Boolean.TRUE);
        Map<String, String> bound = new HashMap<>(context);
        bound.put(CONTEXT_KEY, nonce);
        return bound;
    }

    /** Whether the callback comes from the browser session that started the connect (always, when unbound). */
    public static boolean holds(HttpServletRequest callback, OAuthStateRepository.Pending pending) {
        String nonce = pending.context().get(CONTEXT_KEY);
        if (nonce == null) {
            return true;
        }
        // The nonce is a random 256-bit name: finding it in the session is the check.
        HttpSession session = callback.getSession(false);
        if (session == null || session.getAttribute(SESSION_ATTRIBUTE + nonce) == null) {
            return false;
        }
        session.removeAttribute(SESSION_ATTRIBUTE + nonce);
        return true;
    }
}
