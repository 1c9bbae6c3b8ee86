package io.tributary.support;

/** The HubSpot budget the app is configured with in tests: the double can enforce the same numbers. */
public final class HubSpotTestLimits {

    public static final int PAGE_SIZE = 200;
    public static final int REQUESTS_PER_TEN_SECONDS = 400;
    public static final int SEARCHES_PER_SECOND = 25;

    private HubSpotTestLimits() {
    }
}
