package io.tributary.console;

import io.tributary.api.ApiException;
import io.tributary.common.RequestIds;
import io.tributary.common.SafeErrors;
import io.tributary.database.DatabaseUnavailable;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/** Console errors are pages in the console's layout, not the API's JSON (which stays for everything else). */
@ControllerAdvice(basePackageClasses = ConsoleErrorPages.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleErrorPages {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleErrorPages.class);

    @ExceptionHandler(CsrfInterceptor.CsrfRejectedException.class)
    ModelAndView csrf(HttpServletRequest request) {
        return problem(request, HttpStatus.FORBIDDEN, "This form has expired",
                "The form did not carry this session's security token. Reload the page and try again.");
    }

    @ExceptionHandler(CsrfInterceptor.CrossSiteRejectedException.class)
    ModelAndView crossSite(HttpServletRequest request) {
        return problem(request, HttpStatus.FORBIDDEN, "This form came from another site",
                "The console takes forms only from its own pages. Nothing was changed. Open the console and try "
                        + "again from there.");
    }

    @ExceptionHandler(ApiException.class)
    ModelAndView refused(HttpServletRequest request, ApiException e) {
        return e.status() == HttpStatus.NOT_FOUND ? notFound(request)
                : problem(request, e.status(), "That did not work", ConsoleText.problem(e));
    }

    /** A path id that is not even a UUID names nothing, like an unknown one. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView mismatch(HttpServletRequest request) {
        return notFound(request);
    }

    /** A form or link that lacks what the page needs (a hand-made request; the console's own forms carry it all). */
    @ExceptionHandler(ServletRequestBindingException.class)
    ModelAndView incomplete(HttpServletRequest request) {
        return problem(request, HttpStatus.BAD_REQUEST, "That request was incomplete",
                "Something the page needs was missing. Go back, reload the page and try again.");
    }

    /**
     * Anything else a console action met (a provider's refusal, the store away, a fault of ours): a
     * page in the console's layout that says what the user can do, its detail only in the log.
     */
    @ExceptionHandler(Exception.class)
    ModelAndView failed(HttpServletRequest request, Exception e) {
        if (DatabaseUnavailable.isCause(e)) {
            return problem(request, HttpStatus.SERVICE_UNAVAILABLE, "Tributary cannot reach its database",
                    "Nothing was changed. Try again in a moment.");
        }
        LOG.error("Console request {} failed: {}", request.getRequestURI(), SafeErrors.describe(e));
        return problem(request, HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side",
                "Nothing you did caused this. Try again; if it keeps happening, the log names the request "
                        + RequestIds.of(request) + ".");
    }

    private static ModelAndView notFound(HttpServletRequest request) {
        return problem(request, HttpStatus.NOT_FOUND, "Not found",
                "There is nothing here in this workspace. It may have been removed, or the link is wrong.");
    }

    private static ModelAndView problem(HttpServletRequest request, HttpStatus status, String title, String message) {
        ModelAndView page = ConsoleModel.page(request, "console/problem");
        page.setStatus(status);
        page.addObject("title", title);
        page.addObject("message", message);
        return page;
    }
}
