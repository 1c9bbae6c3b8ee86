package io.tributary.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SalesforceLoginHostsTest {

    private final SalesforceLoginHosts hosts = new SalesforceLoginHosts(new SalesforceProperties("id", "secret",
            "http://localhost/cb", "https://login.salesforce.com", "https://test.salesforce.com",
            List.of(".my.salesforce.com", ".sandbox.my.salesforce.com"), "api refresh_token id", "62.0",
            Duration.ofMinutes(10), "0 0 * * * ?", "0 30 2 * * ?", "30d", 2000, 10, Duration.ofSeconds(60), 4,
            Duration.ofSeconds(2), Map.of()));

    @Test
    void productionAndSandboxUseTheirLoginHosts() {
        assertThat(hosts.loginUrl("production", null)).contains("https://login.salesforce.com");
        assertThat(hosts.loginUrl(null, null)).contains("https://login.salesforce.com");
        assertThat(hosts.loginUrl("sandbox", "ignored")).contains("https://test.salesforce.com");
    }

    @Test
    void aMyDomainUnderAnAllowedSuffixIsAccepted() {
        assertThat(hosts.loginUrl("custom", "acme.my.salesforce.com")).contains("https://acme.my.salesforce.com");
        assertThat(hosts.loginUrl("custom", "https://Acme--UAT.sandbox.my.salesforce.com/"))
                .contains("https://acme--uat.sandbox.my.salesforce.com");
    }

    @Test
    void anythingElseIsRefused() {
        for (String domain : new String[] {"127.0.0.1", "localhost", "evil.example.com", "my.salesforce.com",
                "http://acme.my.salesforce.com", "acme.my.salesforce.com:8443", "acme.my.salesforce.com/path",
                "user@acme.my.salesforce.com", "acme.my.salesforce.com.evil.com", ".my.salesforce.com", "", null,
                "acme..my.salesforce.com", "https://acme.my.salesforce.com?x=1"}) {
            assertThat(hosts.loginUrl("custom", domain)).as(String.valueOf(domain)).isEmpty();
        }
        assertThat(hosts.loginUrl("staging", null)).isEmpty();
    }
}
