package io.tributary.console;

import io.tributary.api.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/** Console errors are pages in the console's layout, not the API's JSON (which stays for everything else). */
@ControllerAdvice(basePackageClasses = ConsoleErrorPages.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleErrorPages {

    @ExceptionHandler(CsrfInterceptor.CsrfRejectedException.class)
    ModelAndView csrf(HttpServletRequest request) {
        return problem(request, HttpStatus.FORBIDDEN, "This form has expired",
                "The form did not carry this session's security token. Reload the page and try again.");
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
