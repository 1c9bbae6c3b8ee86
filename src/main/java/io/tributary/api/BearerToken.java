package io.tributary.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/** Reads the token of an "Authorization: Bearer <token>" header. */
final class BearerToken {

    private static final String SCHEME = "bearer ";

    private BearerToken() {
    }

    static Optional<String> of(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || header.length() <= SCHEME.length()
                || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        String token = header.substring(SCHEME.length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
