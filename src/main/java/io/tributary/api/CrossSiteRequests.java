package io.tributary.api;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Whether the browser says another site's page started a request (Fetch Metadata). The one rule for
 * every console, so they refuse alike: Hawtio's filter and the console's forms.
 */
public final class CrossSiteRequests {

    private CrossSiteRequests() {
    }

    /**
     * True when Sec-Fetch-Site is present and neither same-origin nor none (typed, bookmarked); same-site
     * counts as another site, since a sibling host is another application. Without the header (an older
     * browser, a script) nothing is known, and false leaves the decision to the other defences.
     */
    public static boolean isCrossSite(HttpServletRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        return fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none");
    }
}
