package io.tributary.api;

import io.tributary.monitoring.ConsoleProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP Basic in front of Hawtio (/actuator/hawtio/**) and Jolokia (/actuator/jolokia/**), with the
 * credentials of tributary.hawtio.*. Hawtio's own JAAS login is off: this filter is the one gate,
 * and without a configured password the console answers 404 to everyone.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
public class ConsoleAuthenticationFilter extends OncePerRequestFilter {

    private static final String[] CONSOLE_PATHS = {"/actuator/hawtio", "/actuator/jolokia"};
    private static final String SCHEME = "basic ";

    private final ConsoleProperties console;
    private final ErrorResponses errors;

    public ConsoleAuthenticationFilter(ConsoleProperties console, ErrorResponses errors) {
        this.console = console;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RequestPaths.of(request);
        for (String console : CONSOLE_PATHS) {
            if (path.equals(console) || path.startsWith(console + "/")) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!console.enabled()) {
            errors.write(request, response, HttpStatus.NOT_FOUND, "not_found",
                    "The console is disabled: no tributary.hawtio.password is configured");
            return;
        }
        if (CrossSiteRequests.isCrossSite(request)) {
            // Another site's page would ride on the browser's cached console credentials.
            errors.write(request, response, HttpStatus.FORBIDDEN, "cross_site_request",
                    "The console answers only its own pages");
            return;
        }
        if (!authenticated(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"Tributary console\", charset=\"UTF-8\"");
            errors.write(request, response, HttpStatus.UNAUTHORIZED, "unauthenticated",
                    "The console needs its user name and password (HTTP Basic)");
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean authenticated(String header) {
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(header.substring(SCHEME.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = credentials.indexOf(':');
        if (colon < 0) {
            return false;
        }
        // Both compared in constant time, and both always, so timing tells nothing about which one was wrong.
        boolean user = same(credentials.substring(0, colon), console.username());
        boolean password = same(credentials.substring(colon + 1), console.password());
        return user & password;
    }

    private static boolean same(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
