package io.tributary.console;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/**
 * Whether a browser can keep the console's session cookie for this request. A Secure cookie set over
 * plain HTTP is dropped, except on localhost: a console opened at http://some-host with
 * tributary.console.secure-cookie on could never hold a sign-in, and would only ever say the session ended.
 */
final class SecureCookieCheck {

    static final String DROPPED = "Your browser did not keep the sign-in: the console's session cookie is sent over"
            + " HTTPS only, and this page came over plain HTTP. Open the console over HTTPS, or on a trusted network set"
            + " TRIBUTARY_CONSOLE_SECURE_COOKIE=false (tributary.console.secure-cookie).";

    private SecureCookieCheck() {
    }

    static boolean cookieDropped(HttpServletRequest request, boolean secureCookie) {
        return secureCookie && !request.isSecure() && !isLocalhost(request.getServerName());
    }

    /** The hosts browsers treat as secure over plain HTTP. */
    private static boolean isLocalhost(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return name.equals("localhost") || name.endsWith(".localhost") || name.startsWith("127.")
                || name.equals("[::1]") || name.equals("::1");
    }
}
