package io.tributary.api;

import io.tributary.common.RequestIds;
import io.tributary.common.SafeErrors;
import io.tributary.database.DatabaseUnavailable;
import io.tributary.hubspot.HubSpotApiException;
import io.tributary.integration.ReauthRequiredException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Maps every failure of a controller to the API's error shape; never echoes internals. */
@RestControllerAdvice
public class ApiErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    private final ServiceUnavailableAnswers serviceUnavailable;

    public ApiErrorHandler(ServiceUnavailableAnswers serviceUnavailable) {
        this.serviceUnavailable = serviceUnavailable;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e, HttpServletRequest request) {
        return body(e.status(), e.code(), e.getMessage(), e.details(), request);
    }

    /** The provider refused or failed; its message was built to be safe to show. */
    @ExceptionHandler(HubSpotApiException.class)
    ResponseEntity<ApiError> provider(HubSpotApiException e, HttpServletRequest request) {
        return body(HttpStatus.BAD_GATEWAY, "provider_error", e.getMessage(), List.of(), request);
    }

    @ExceptionHandler(ReauthRequiredException.class)
    ResponseEntity<ApiError> reauth(ReauthRequiredException e, HttpServletRequest request) {
        return body(HttpStatus.CONFLICT, "reauth_required", e.getMessage(), List.of(), request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        if (causedByTooLarge(e)) {
            return tooLarge(request);
        }
        return body(HttpStatus.BAD_REQUEST, "malformed_json", "The request body is not valid JSON", List.of(), request);
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ApiError> tooLarge(HttpServletRequest request) {
        return body(HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large", "The request body is too large", List.of(),
                request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpServletRequest request) {
        return body(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Send Content-Type: application/json",
                List.of(), request);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiError> notAcceptable(HttpServletRequest request) {
        return body(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "This API answers application/json", List.of(),
                request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return body(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", e.getMethod() + " is not allowed here",
                List.of(), request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> noResource(HttpServletRequest request) {
        return body(HttpStatus.NOT_FOUND, "not_found", "No such endpoint", List.of(), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return invalidParameter(e.getName(), "has the wrong type", request);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiError> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        return invalidParameter(e.getParameterName(), "is required", request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e, HttpServletRequest request) {
        if (causedByTooLarge(e)) {
            return tooLarge(request);
        }
        // An unreachable or restarting store, however wrapped (a route, a transaction): retry later.
        if (DatabaseUnavailable.isCause(e)) {
            return serviceUnavailable.entity(e, request);
        }
        log.error("Unexpected error: {}", SafeErrors.describe(e));
        return body(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "Something went wrong on our side; quote the request_id when reporting it", List.of(), request);
    }

    private ResponseEntity<ApiError> invalidParameter(String name, String problem, HttpServletRequest request) {
        return body(HttpStatus.UNPROCESSABLE_ENTITY, "validation_failed", "The request is invalid",
                List.of(Map.of("field", name, "message", name + " " + problem)), request);
    }

    private static boolean causedByTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PayloadTooLargeException) {
                return true;
            }
        }
        return false;
    }

    private static ResponseEntity<ApiError> body(HttpStatus status, String code, String message,
                                                 List<Map<String, Object>> details, HttpServletRequest request) {
        // JSON whatever the caller accepts (Accept: text/html included): an error body in no type is no answer.
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(new ApiError(code, message, details, RequestIds.of(request)));
    }
}
