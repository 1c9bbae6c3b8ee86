package io.tributary.api;

import io.tributary.integration.OAuthStateRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
    private static final String SESSION_ATTRIBUTE = ConnectBinding.class.getName();

    private ConnectBinding() {
    }

    /** The state's context plus, in a browser session, a nonce that session also keeps. */
    public static Map<String, String> bind(HttpServletRequest request, Map<String, String> context) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return context;
        }
        String nonce = OAuthStateRepository.randomToken();
        session.setAttribute(SESSION_ATTRIBUTE, nonce);
        Map<String, String> bound = new HashMap<>(context);
        bound.put(CONTEXT_KEY, nonce);
        return bound;
    }

    /** Whether the callback comes from the browser session that started the connect (always, when unbound). */
    public static boolean holds(HttpServletRequest callback, OAuthStateRepository.Pending pending) {
        String expected = pending.context().get(CONTEXT_KEY);
        if (expected == null) {
            return true;
        }
        HttpSession session = callback.getSession(false);
        Object kept = session == null ? null : session.getAttribute(SESSION_ATTRIBUTE);
        return kept instanceof String nonce && MessageDigest.isEqual(nonce.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }
}
