package io.tributary.api;

import io.tributary.common.RequestIds;
import io.tributary.database.OutageLog;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * The answer to a request the store cannot serve now: 503 service_unavailable with Retry-After, so
 * API clients and Stripe deliver again. Logged once when such answers start and once when requests
 * are served again, not once per request: during an outage every request would log.
 */
@Component
public class ServiceUnavailableAnswers {

    private static final Logger log = LoggerFactory.getLogger(ServiceUnavailableAnswers.class);
    private static final String CODE = "service_unavailable";
    private static final String MESSAGE = "The service is temporarily unavailable; nothing was stored, retry later";
    private static final String RETRY_AFTER_SECONDS = "5";

    private final ErrorResponses errors;
    private final OutageLog outage = new OutageLog(log, "HTTP requests");

    public ServiceUnavailableAnswers(ErrorResponses errors) {
        this.errors = errors;
    }

    /** For exception handlers of controllers. */
    ResponseEntity<ApiError> entity(Throwable cause, HttpServletRequest request) {
        outage.failed(cause);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(new ApiError(CODE, MESSAGE, List.of(), RequestIds.of(request)));
    }

    /** For failures outside controllers (servlet filters, the webhook servlet). */
    void write(Throwable cause, HttpServletRequest request, HttpServletResponse response) throws IOException {
        outage.failed(cause);
        response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        errors.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, CODE, MESSAGE);
    }

    /** A request was served without a server error: an outage being logged is over. */
    void served() {
        outage.succeeded();
    }
}
