package io.tributary.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Actuator calls with the admin token act as the operator: the health endpoint's
 * show-details=when-authorized then shows them the components' details, which name integrations
 * of every workspace. Anyone else sees only statuses.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class OperatorPrincipalFilter extends OncePerRequestFilter {

    private static final Principal OPERATOR = () -> "operator";

    private final AdminToken adminToken;

    public OperatorPrincipalFilter(AdminToken adminToken) {
        this.adminToken = adminToken;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RequestPaths.of(request).startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!adminToken.presentedBy(request)) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return OPERATOR;
            }
        }, response);
    }
}
