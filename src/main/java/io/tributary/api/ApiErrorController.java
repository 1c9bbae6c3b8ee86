package io.tributary.api;

import io.tributary.common.RequestIds;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Replaces Spring Boot's /error page so errors raised outside controllers keep the API's shape. */
@RestController
public class ApiErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ApiError> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
        return ResponseEntity.status(status).body(of(status, RequestIds.of(request)));
    }

    /** The error body of a bare status: its name as the code, any 5xx an internal error. */
    static ApiError of(HttpStatus status, String requestId) {
        String error = status.is5xxServerError() ? "internal_error" : status.name().toLowerCase();
        return new ApiError(error, status.getReasonPhrase(), List.of(), requestId);
    }
}
