package io.tributary.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class CrossSiteRequestsTest {

    @Test
    void onlyAnotherSitesPageCountsAsCrossSite() {
        assertThat(crossSite("cross-site")).isTrue();
        assertThat(crossSite("same-site")).as("a sibling host is another application").isTrue();
        assertThat(crossSite("same-origin")).isFalse();
        assertThat(crossSite("none")).as("typed or bookmarked").isFalse();
        assertThat(crossSite(null)).as("no header: unknown, left to the other defences").isFalse();
    }

    private static boolean crossSite(String fetchSite) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/console/sources");
        if (fetchSite != null) {
            request.addHeader("Sec-Fetch-Site", fetchSite);
        }
        return CrossSiteRequests.isCrossSite(request);
    }
}
