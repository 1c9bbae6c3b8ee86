package io.tributary.console;

import io.tributary.api.HubSpotConnectController;
import io.tributary.api.IntegrationSyncController;
import io.tributary.api.IntegrationsController;
import io.tributary.api.ListPage;
import io.tributary.api.SalesforceConnectController;
import io.tributary.health.IntegrationHealth;
import io.tributary.workspace.Workspace;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The Integrations page: every connected instance with its per-object sync status, and the forms
 * that connect, sync and disconnect them. Each form calls the API controller that owns the rule.
 */
@Controller
@RequestMapping(ConsolePaths.INTEGRATIONS)
class IntegrationsPageController {

    private static final int PAGE_SIZE = 100;
    private static final Map<String, String> CONNECT_ERRORS = Map.of(
            "access_denied", "the connection was declined on the provider's consent page",
            "missing_code", "the provider sent no authorization code back",
            "token_exchange_failed", "the provider refused to exchange the authorization code for tokens",
            "connect_failed", "something went wrong while storing the connection; try again",
            "other_browser", "the consent was given in another browser than the one that started the connect; "
                    + "start it again here");

    /** One object of a synced integration, as its sync status reports it. */
    record ObjectRow(String name, String status, long totalSynced, String error) {
    }

    /** One integration as the table shows it. */
    record IntegrationRow(String id, String provider, String providerName, String name, String status,
                          String health, String lastSync, String webhookPath, List<ObjectRow> objects,
                          String purgeConfirmation) {

        public boolean syncable() {
            return !objects.isEmpty() && status.equals("connected");
        }

        public boolean disconnected() {
            return status.equals("disconnected");
        }
    }

    private final IntegrationsController integrations;
    private final IntegrationSyncController syncs;
    private final HubSpotConnectController hubSpot;
    private final SalesforceConnectController salesforce;
    private final JsonBodies bodies;

    IntegrationsPageController(IntegrationsController integrations, IntegrationSyncController syncs,
                               HubSpotConnectController hubSpot, SalesforceConnectController salesforce,
                               JsonBodies bodies) {
        this.integrations = integrations;
        this.syncs = syncs;
        this.hubSpot = hubSpot;
        this.salesforce = salesforce;
        this.bodies = bodies;
    }

    /** Also where OAuth connects end (tributary.console-url), with their outcome as query parameters. */
    @GetMapping
    String page(Workspace workspace, @RequestParam(required = false) String cursor,
                @RequestParam(required = false) String connected, @RequestParam(required = false) String error,
                @RequestParam(required = false) String provider, @RequestParam(required = false) String reconnected,
                Model model) {
        // Anyone can link here with any parameters: only known providers and error codes are shown,
        // so a link cannot put its own words on the page.
        if (connected != null && ConsoleText.isProvider(connected)) {
            model.addAttribute(FormOutcome.NOTICE, ConsoleText.provider(connected)
                    + ("true".equals(reconnected) ? " reconnected." : " connected.") + " Press Sync now to fetch its records.");
        } else if (error != null) {
            model.addAttribute(FormOutcome.PROBLEM, (ConsoleText.isProvider(provider) ? ConsoleText.provider(provider)
                    : "The provider") + " was not connected: " + CONNECT_ERRORS.getOrDefault(error, "the connect failed")
                    + ".");
        }
        ListPage<Map<String, Object>> page = integrations.list(workspace, PAGE_SIZE, cursor);
        List<IntegrationRow> rows = new ArrayList<>();
        for (Map<String, Object> view : page.items()) {
            rows.add(row(workspace, view));
        }
        model.addAttribute("integrations", rows);
        model.addAttribute("nextCursor", page.nextCursor());
        return "console/integrations";
    }

    @PostMapping("/hubspot/connect")
    String connectHubSpot(Workspace workspace, @RequestParam(defaultValue = "") String name,
                          RedirectAttributes flash, HttpServletRequest request) {
        return ConnectStart.of(flash, () -> hubSpot.connect(workspace, blankToNull(name), null, request));
    }

    @PostMapping("/salesforce/connect")
    String connectSalesforce(Workspace workspace, @RequestParam(defaultValue = "production") String environment,
                                        @RequestParam(defaultValue = "") String domain,
                                        @RequestParam(defaultValue = "") String name, RedirectAttributes flash,
                                        HttpServletRequest request) {
        return ConnectStart.of(flash, () -> salesforce.connect(workspace, environment, blankToNull(domain),
                blankToNull(name), null, request));
    }

    @PostMapping("/stripe")
    String addStripe(Workspace workspace, @RequestParam(defaultValue = "") String name,
                     @RequestParam(name = "signing_secret", defaultValue = "") String signingSecret,
                     RedirectAttributes flash) {
        return FormOutcome.run(flash, ConsolePaths.INTEGRATIONS, () -> {
            Map<String, Object> created = integrations.create(workspace, bodies.of(Map.of("provider", "stripe",
                    "name", name.strip(), "config", Map.of("signing_secret", signingSecret.strip()))));
            flash.addFlashAttribute("webhookUrl", ServletUriComponentsBuilder.fromCurrentContextPath()
                    .path((String) created.get("webhook_path")).toUriString());
            return "Stripe account \"" + created.get("name") + "\" added. Paste the webhook URL below into the "
                    + "endpoint's settings in the Stripe dashboard.";
        });
    }

    @PostMapping("/{id}/sync")
    String sync(Workspace workspace, @PathVariable UUID id, RedirectAttributes flash) {
        return FormOutcome.run(flash, ConsolePaths.INTEGRATIONS, () -> {
            Map<String, Object> answer = syncs.sync(workspace, id, null).getBody();
            if (answer != null && Boolean.TRUE.equals(answer.get("skipped"))) {
                return "Sync already in progress: nothing new was started.";
            }
            int started = answer == null ? 0 : ((List<?>) answer.get("sync_run_ids")).size();
            return "Sync started (" + started + (started == 1 ? " run" : " runs") + "). Follow it on the Sync Runs page.";
        });
    }

    @PostMapping("/{id}/disconnect")
    String disconnect(Workspace workspace, @PathVariable UUID id, @RequestParam(defaultValue = "false") boolean purge,
                      @RequestParam(defaultValue = "") String confirm, RedirectAttributes flash) {
        return FormOutcome.run(flash, ConsolePaths.INTEGRATIONS, () -> {
            Map<String, Object> done = integrations.disconnect(workspace, id, purge,
                    purge ? bodies.of(Map.of("confirm", confirm.strip())) : null);
            return "\"" + done.get("name") + "\" disconnected" + (purge
                    ? "; " + done.get("purged_records") + " of its records deleted." : "; its records are kept.");
        });
    }

    private IntegrationRow row(Workspace workspace, Map<String, Object> view) {
        String provider = (String) view.get("provider");
        String status = (String) view.get("status");
        IntegrationHealth health = (IntegrationHealth) view.get("health");
        List<ObjectRow> objects = new ArrayList<>();
        if (!provider.equals("stripe")) {
            Map<?, ?> byObject = (Map<?, ?>) syncs.status(workspace, (UUID) view.get("id")).get("objects");
            for (Map.Entry<?, ?> entry : byObject.entrySet()) {
                Map<?, ?> object = (Map<?, ?>) entry.getValue();
                objects.add(new ObjectRow((String) entry.getKey(), (String) object.get("status"),
                        ((Number) object.get("total_synced")).longValue(), (String) object.get("error_message")));
            }
        }
        return new IntegrationRow(view.get("id").toString(), provider, ConsoleText.provider(provider),
                (String) view.get("name"), status, health == null ? null : health.status(),
                lastSync(provider, health),
                (String) view.get("webhook_path"), objects, IntegrationsController.purgeConfirmation(provider));
    }

    /** Stripe accounts receive webhooks and never sync: a dash, not "never". */
    private static String lastSync(String provider, IntegrationHealth health) {
        if (provider.equals("stripe")) {
            return "—";
        }
        return health == null || health.lastRun() == null ? "never" : ConsoleText.time(health.lastRun().finishedAt());
    }

    private static String blankToNull(String value) {
        return value.isBlank() ? null : value.strip();
    }
}
