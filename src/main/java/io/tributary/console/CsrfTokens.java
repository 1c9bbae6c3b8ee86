package io.tributary.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** One random token per session, echoed by every console form and compared in constant time. */
final class CsrfTokens {

    static final String FIELD = "_csrf";
    private static final String ATTRIBUTE = CsrfTokens.class.getName();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ANONYMOUS_SECONDS = 15 * 60;

    private CsrfTokens() {
    }

    /**
     * The session's token, creating the session (the sign-in form needs one too: login CSRF). A
     * session made for it lives only minutes until someone signs in with it, so requests without a
     * cookie cannot pile up sessions in the store.
     */
    static String of(HttpServletRequest request) {
        HttpSession session = request.getSession(true);
        if (session.isNew()) {
            session.setMaxInactiveInterval(ANONYMOUS_SECONDS);
        }
        String token = (String) session.getAttribute(ATTRIBUTE);
        if (token == null) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            session.setAttribute(ATTRIBUTE, token);
        }
        return token;
    }

    /** Drops the session's token: the next page gets a new one. */
    static void renew(HttpSession session) {
        session.removeAttribute(ATTRIBUTE);
    }

    static boolean matches(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        String expected = session == null ? null : (String) session.getAttribute(ATTRIBUTE);
        String given = request.getParameter(FIELD);
        return expected != null && given != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
