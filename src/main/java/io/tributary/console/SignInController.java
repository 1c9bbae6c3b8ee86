package io.tributary.console;

import io.tributary.workspace.WorkspaceRepository;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Signing in to the console with a workspace's API key, and out again. */
@Controller
class SignInController {

    private final WorkspaceRepository workspaces;
    private final Duration sessionTimeout;
    private final boolean secureCookie;

    SignInController(WorkspaceRepository workspaces,
                     @Value("${tributary.console.session-timeout}") Duration sessionTimeout,
                     @Value("${tributary.console.secure-cookie}") boolean secureCookie) {
        this.workspaces = workspaces;
        this.sessionTimeout = sessionTimeout;
        this.secureCookie = secureCookie;
    }

    @GetMapping(ConsolePaths.ROOT)
    String home() {
        return "redirect:" + ConsolePaths.INTEGRATIONS;
    }

    @GetMapping(ConsolePaths.LOGIN)
    String form(HttpServletRequest request, @RequestParam(name = "signed_out", required = false) String signedOut,
                @RequestParam(name = SignInRedirect.SESSION_ENDED, required = false) String sessionEnded, Model model) {
        if (signedOut != null) {
            model.addAttribute(FormOutcome.NOTICE, "You are signed out.");
        } else if (sessionEnded != null && SecureCookieCheck.cookieDropped(request, secureCookie)) {
            // Said only once a form came back without the session: a proxy that ends TLS may hide https from us.
            model.addAttribute(FormOutcome.PROBLEM, SecureCookieCheck.DROPPED);
        } else if (sessionEnded != null) {
            model.addAttribute(FormOutcome.NOTICE, "Your session ended, sign in again.");
        }
        return ConsoleSession.apiKeyId(request).flatMap(workspaces::findByApiKeyId).isPresent()
                ? "redirect:" + ConsolePaths.INTEGRATIONS : "console/login";
    }

    /** The key travels only in this form's body; the session keeps the key's id. */
    @PostMapping(ConsolePaths.LOGIN)
    String signIn(HttpServletRequest request, HttpServletResponse response,
                  @RequestParam(name = "api_key", defaultValue = "") String apiKey, Model model) {
        Optional<UUID> keyId = apiKey.isBlank() ? Optional.empty() : workspaces.findApiKeyId(apiKey.strip());
        if (keyId.isEmpty()) {
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            model.addAttribute(FormOutcome.PROBLEM, apiKey.isBlank() ? "Enter your workspace's API key."
                    : "That API key is not valid. Check it and try again.");
            return "console/login";
        }
        ConsoleSession.signIn(request, keyId.get(), sessionTimeout);
        return "redirect:" + ConsolePaths.INTEGRATIONS;
    }

    @PostMapping(ConsolePaths.ROOT + "/logout")
    String signOut(HttpServletRequest request) {
        ConsoleSession.signOut(request);
        return "redirect:" + ConsolePaths.LOGIN + "?signed_out";
    }
}
