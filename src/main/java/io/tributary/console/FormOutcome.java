package io.tributary.console;

import io.tributary.api.ApiException;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Every console form ends in a redirect back to its page (post/redirect/get) with one line saying
 * what happened: the action's own notice, or why the API's rules refused it. Unknown or another
 * workspace's objects stay a 404 page.
 */
final class FormOutcome {

    static final String NOTICE = "notice";
    static final String PROBLEM = "problem";

    private FormOutcome() {
    }

    static String run(RedirectAttributes flash, String page, Supplier<String> action) {
        try {
            flash.addFlashAttribute(NOTICE, action.get());
        } catch (ApiException e) {
            if (e.status() == HttpStatus.NOT_FOUND) {
                throw e;
            }
            flash.addFlashAttribute(PROBLEM, ConsoleText.problem(e));
        }
        return "redirect:" + page;
    }
}
