package io.tributary.console;

import io.tributary.api.ApiKeyAuthenticationFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.ModelAndView;

/** What every console page's layout shows: the signed-in workspace and the CSRF token its forms carry. */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {

    static final String CSRF = "csrf";
    static final String WORKSPACE = "workspace";

    @ModelAttribute
    void layout(HttpServletRequest request, Model model) {
        model.addAttribute(CSRF, CsrfTokens.of(request));
        model.addAttribute(WORKSPACE, request.getAttribute(ApiKeyAuthenticationFilter.WORKSPACE_ATTRIBUTE));
    }

    /** The same for pages built outside a handler method (error pages). */
    static ModelAndView page(HttpServletRequest request, String view) {
        ModelAndView page = new ModelAndView(view);
        page.addObject(CSRF, CsrfTokens.of(request));
        page.addObject(WORKSPACE, request.getAttribute(ApiKeyAuthenticationFilter.WORKSPACE_ATTRIBUTE));
        return page;
    }
}
