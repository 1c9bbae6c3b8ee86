package io.tributary.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.junit.jupiter.api.Test;

class SalesforceApiLimitTest {

    @Test
    void a429AndTheDailyApiLimitCountAsRateLimitedOtherRefusalsDoNot() {
        assertThat(SalesforceApi.isLimitReached(new SalesforceException("Too many requests", 429))).isTrue();
        assertThat(SalesforceApi.isLimitReached(new SalesforceException(
                List.of(new RestError("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")), 403))).isTrue();
        assertThat(SalesforceApi.isLimitReached(new SalesforceException(
                List.of(new RestError("INSUFFICIENT_ACCESS", "no access")), 403))).isFalse();
        assertThat(SalesforceApi.isLimitReached(new SalesforceException("Session expired", 401))).isFalse();
    }
}
