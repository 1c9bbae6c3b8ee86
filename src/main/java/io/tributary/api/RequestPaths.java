package io.tributary.api;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The path a request is routed by, as the container decoded and normalized it: "/%61pi/…",
 * "/api;x/…" and "/./api/…" reach the same handlers as "/api/…", so a filter deciding which
 * requests it guards must look at this, never at the raw request URI.
 */
final class RequestPaths {

    private RequestPaths() {
    }

    static String of(HttpServletRequest request) {
        return request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    }
}
