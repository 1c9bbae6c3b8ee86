package io.tributary.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.workspace.WorkspaceRepository;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.ui.ExtendedModelMap;

class SecureCookieCheckTest {

    @Test
    void aSecureCookieIsDroppedOnlyOverPlainHttpToAnotherHostThanLocalhost() {
        for (String host : List.of("console.example.com", "10.0.0.5", "tributary")) {
            assertThat(SecureCookieCheck.cookieDropped(request(host, false), true)).as(host).isTrue();
            assertThat(SecureCookieCheck.cookieDropped(request(host, true), true)).as(host + " over https").isFalse();
            assertThat(SecureCookieCheck.cookieDropped(request(host, false), false)).as(host + ", not Secure")
                    .isFalse();
        }
        for (String host : List.of("localhost", "LOCALHOST", "app.localhost", "127.0.0.1", "127.0.0.2", "[::1]")) {
            assertThat(SecureCookieCheck.cookieDropped(request(host, false), true)).as(host).isFalse();
        }
    }

    /** No session in these requests: the page never asks the repository for one. */
    private static final SignInController SIGN_IN =
            new SignInController(new WorkspaceRepository(null, null), Duration.ofHours(8), true);

    @Test
    void theSignInPageExplainsADroppedCookieInsteadOfAnEndedSession() {
        ExtendedModelMap dropped = new ExtendedModelMap();
        SIGN_IN.form(request("console.example.com", false), null, "", dropped);
        assertThat(dropped.get(FormOutcome.PROBLEM)).isEqualTo(SecureCookieCheck.DROPPED);
        assertThat(dropped.get(FormOutcome.NOTICE)).isNull();

        ExtendedModelMap ended = new ExtendedModelMap();
        SIGN_IN.form(request("localhost", false), null, "", ended);
        assertThat(ended.get(FormOutcome.NOTICE)).isEqualTo("Your session ended, sign in again.");
        assertThat(ended.get(FormOutcome.PROBLEM)).isNull();

        // A first visit says nothing: a proxy that ends TLS may hide https from the app.
        ExtendedModelMap first = new ExtendedModelMap();
        SIGN_IN.form(request("console.example.com", false), null, null, first);
        assertThat(first.asMap()).doesNotContainKeys(FormOutcome.PROBLEM, FormOutcome.NOTICE);
    }

    private static MockHttpServletRequest request(String host, boolean secure) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/console/login");
        request.setServerName(host);
        request.setSecure(secure);
        return request;
    }
}
