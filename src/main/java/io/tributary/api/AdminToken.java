package io.tributary.api;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** The operator's credential, tributary.admin-token: empty means no request is an operator's. */
@Component
public class AdminToken {

    private final byte[] token;

    public AdminToken(@Value("${tributary.admin-token:}") String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    public boolean enabled() {
        return token.length > 0;
    }

    /** Refuses the request unless it carries the admin token: 404 while the admin API is off, else 401. */
    public void require(HttpServletRequest request) {
        if (!enabled()) {
            throw new ApiException(HttpStatus.NOT_FOUND, "admin_api_disabled",
                    "The admin API is disabled; set TRIBUTARY_ADMIN_TOKEN to enable it");
        }
        if (!presentedBy(request)) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "unauthenticated", "A valid admin token is required");
        }
    }

    /** Whether the request's bearer token is the admin token (compared in constant time). */
    public boolean presentedBy(HttpServletRequest request) {
        byte[] given = BearerToken.of(request).orElse("").getBytes(StandardCharsets.UTF_8);
        return enabled() && MessageDigest.isEqual(given, token);
    }
}
