package io.tributary.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.ModelAndView;

/** Whatever a console action meets becomes a console page that says what to do, never the failure's own words. */
class ConsoleErrorPagesTest {

    private final ConsoleErrorPages pages = new ConsoleErrorPages();

    @Test
    void theStoreAwayIsA503PageAndNothingChanged() {
        ModelAndView page = pages.failed(request(), new DataAccessResourceFailureException("down",
                new SQLTransientConnectionException("Connection is not available, request timed out after 2000ms.")));

        assertThat(page.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(page.getViewName()).isEqualTo("console/problem");
        assertThat(page.getModel().get("message").toString()).contains("Nothing was changed");
    }

    @Test
    void aFaultOfOursIsA500PageThatKeepsItsDetailToTheLog() {
        ModelAndView page = pages.failed(request(), new IllegalStateException("SELECT secret FROM somewhere"));

        assertThat(page.getStatus()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(page.getModel().values().toString()).doesNotContain("SELECT", "secret");
    }

    @Test
    void aHandMadeRequestMissingAFieldIsA400Page() {
        ModelAndView page = pages.incomplete(request());

        assertThat(page.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(page.getModel().get("message").toString()).contains("was missing");
    }

    private static MockHttpServletRequest request() {
        return new MockHttpServletRequest("POST", "/console/integrations/stripe");
    }
}
