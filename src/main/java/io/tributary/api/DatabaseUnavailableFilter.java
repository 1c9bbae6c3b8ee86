package io.tributary.api;

import io.tributary.database.DatabaseUnavailable;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 503 (not 500) when the store is unavailable anywhere below: in the API-key lookup of the
 * authentication filter, in the Stripe webhook servlet, or in a controller. Runs right after the
 * request id is set, so the answer carries it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class DatabaseUnavailableFilter extends OncePerRequestFilter {

    private final ServiceUnavailableAnswers answers;

    public DatabaseUnavailableFilter(ServiceUnavailableAnswers answers) {
        this.answers = answers;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException | ServletException e) {
            if (!DatabaseUnavailable.isCause(e) || response.isCommitted()) {
                throw e;
            }
            answers.write(e, request, response);
            return;
        }
        if (response.getStatus() < 500) {
            answers.served();
        }
    }
}
