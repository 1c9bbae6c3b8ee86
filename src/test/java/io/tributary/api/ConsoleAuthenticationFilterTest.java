package io.tributary.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.monitoring.ConsoleProperties;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ConsoleAuthenticationFilterTest {

    private static final ErrorResponses ERRORS = new ErrorResponses(new ObjectMapper());

    @Test
    void withoutAPasswordTheConsoleIsOffForEveryoneEvenWithAnEmptyPassword() throws Exception {
        ConsoleAuthenticationFilter filter = new ConsoleAuthenticationFilter(
                new ConsoleProperties("admin", "", false), ERRORS);

        MockHttpServletResponse response = run(filter, "/actuator/hawtio/index.html", basic("admin", ""));

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getContentAsString()).contains("\"error\":\"not_found\"");
        assertThat(response.getHeader("WWW-Authenticate")).isNull();
    }

    @Test
    void onlyTheConsolePathsAreGuarded() throws Exception {
        ConsoleAuthenticationFilter filter = new ConsoleAuthenticationFilter(
                new ConsoleProperties("admin", "s3cret-console", false), ERRORS);

        assertThat(run(filter, "/actuator/hawtio", null).getStatus()).isEqualTo(401);
        assertThat(run(filter, "/actuator/jolokia/read/x", null).getStatus()).isEqualTo(401);
        assertThat(run(filter, "/actuator/hawtio/index.html", basic("admin", "s3cret-console")).getStatus())
                .isEqualTo(200);
        assertThat(run(filter, "/actuator/hawtio/index.html", "Basic not-base64!").getStatus()).isEqualTo(401);
        assertThat(run(filter, "/actuator/hawtio/index.html", basic("admin", "s3cret-consol")).getStatus())
                .isEqualTo(401);
        assertThat(run(filter, "/actuator/hawtiox", null).getStatus()).isEqualTo(200);
        assertThat(run(filter, "/actuator/prometheus", null).getStatus()).isEqualTo(200);
        assertThat(run(filter, "/actuator/health", null).getStatus()).isEqualTo(200);
    }

    private static MockHttpServletResponse run(ConsoleAuthenticationFilter filter, String path, String authorization)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setServletPath(path);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
