package io.tributary.console;

import io.tributary.api.ApiException;
import java.util.function.Supplier;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * An OAuth connect started from a console form: on to the provider's consent page the API's
 * connect answered with, or back to the Integrations page saying why it could not start.
 */
final class ConnectStart {

    private ConnectStart() {
    }

    static String of(RedirectAttributes flash, Supplier<ResponseEntity<?>> start) {
        try {
            return "redirect:" + start.get().getHeaders().getLocation();
        } catch (ApiException e) {
            flash.addFlashAttribute(FormOutcome.PROBLEM, ConsoleText.problem(e));
            return "redirect:" + ConsolePaths.INTEGRATIONS;
        }
    }
}
