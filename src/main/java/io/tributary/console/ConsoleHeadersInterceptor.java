package io.tributary.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Console pages load nothing but the app's own CSS, are never framed (clickjacking) and are not
 * kept in shared caches. No form-action limit: a connect form's answer is a redirect to the provider,
 * and Chromium checks form-action on every redirect that follows a form, the provider's own included
 * (its login or regional host, an org's single sign-on), so no list of hosts from our configuration
 * could be complete. Forged forms are refused by CsrfInterceptor instead.
 */
class ConsoleHeadersInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        response.setHeader("Content-Security-Policy", "default-src 'self'; base-uri 'none'; frame-ancestors 'none'");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Cache-Control", "no-store");
        return true;
    }
}
