package io.tributary.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.common.SafeErrors;
import io.tributary.hubspot.HubSpotApiException;
import io.tributary.hubspot.HubSpotOAuthClient;
import io.tributary.hubspot.HubSpotProperties;
import io.tributary.hubspot.HubSpotRecordMapper;
import io.tributary.hubspot.HubSpotSyncOptions;
import io.tributary.hubspot.HubSpotSyncRequests;
import io.tributary.hubspot.HubSpotTokens;
import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationRepository;
import io.tributary.integration.IntegrationStatusChanged;
import io.tributary.integration.OAuthStateRepository;
import io.tributary.sync.SyncRequests;
import io.tributary.workspace.Workspace;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's HubSpot endpoints: OAuth connect and its callback (authenticated by the
 * single-use state, not an API key), and "sync now" for every portal of the workspace.
 */
@RestController
@RequestMapping("/app/integrations/hubspot")
public class HubSpotConnectController {

    private static final Logger LOG = LoggerFactory.getLogger(HubSpotConnectController.class);
    private static final String PROVIDER = HubSpotRecordMapper.SYSTEM;

    private final HubSpotProperties properties;
    private final HubSpotOAuthClient oauth;
    private final OAuthStateRepository states;
    private final IntegrationRepository integrations;
    private final HubSpotSyncRequests syncs;
    private final ApplicationEventPublisher events;
    private final ObjectMapper json;
    private final ConsoleRedirects redirects;

    public HubSpotConnectController(HubSpotProperties properties, HubSpotOAuthClient oauth, OAuthStateRepository states,
                                    IntegrationRepository integrations, HubSpotSyncRequests syncs,
                                    ApplicationEventPublisher events, ObjectMapper json, ConsoleRedirects redirects) {
        this.properties = properties;
        this.oauth = oauth;
        this.states = states;
        this.integrations = integrations;
        this.syncs = syncs;
        this.events = events;
        this.json = json;
        this.redirects = redirects;
    }

    @GetMapping("/connect")
    public ResponseEntity<Map<String, Object>> connect(Workspace workspace, @RequestParam(required = false) String name,
                                                @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                                HttpServletRequest request) {
        if (properties.clientId() == null || properties.clientId().isBlank()
                || properties.clientSecret() == null || properties.clientSecret().isBlank()) {
            throw new ApiException(HttpStatus.CONFLICT, "not_configured",
                    "HubSpot OAuth is not configured: set tributary.hubspot.client-id and client-secret");
        }
        String integrationName = JsonFields.optionalConnectName(name);
        String state = states.issue(workspace.id(), PROVIDER, integrationName,
                ConnectBinding.bind(request, Map.of()), properties.stateTtl());
        return ConsoleRedirects.authorize(oauth.authorizeUrl(state), accept);
    }

    /** HubSpot sends the user back here; a valid state always ends in a redirect to the console. */
    @GetMapping("/callback")
    ResponseEntity<Void> callback(@RequestParam(required = false) String code,
                                  @RequestParam(required = false) String state,
                                  @RequestParam(required = false) String error, HttpServletRequest request) {
        OAuthStateRepository.Pending pending = states.consume(state, PROVIDER).orElseThrow(() -> new ApiException(
                HttpStatus.BAD_REQUEST, "invalid_state", "The OAuth state is unknown, already used or expired"));
        if (!ConnectBinding.holds(request, pending)) {
            LOG.warn("HubSpot connect refused: finished in another browser than the console session that started it");
            return redirect(Map.of("error", "other_browser", "provider", PROVIDER));
        }
        if (error != null || code == null || code.isBlank()) {
            return redirect(Map.of("error", error != null ? "access_denied" : "missing_code", "provider", PROVIDER));
        }
        try {
            HubSpotTokens tokens = oauth.exchangeCode(code);
            HubSpotOAuthClient.Portal portal = oauth.portalOf(tokens.accessToken());
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("hub_id", portal.hubId());
            config.put("hub_domain", portal.hubDomain());
            String name = pending.name() != null ? pending.name() : portal.hubDomain();
            IntegrationRepository.Connected connected = integrations.connect(pending.workspaceId(), PROVIDER,
                    Long.toString(portal.hubId()), name, json.writeValueAsString(config), tokens.toSecrets());
            events.publishEvent(new IntegrationStatusChanged(connected.integration().id()));
            return redirect(Map.of("connected", PROVIDER, "integration_id", connected.integration().id().toString(),
                    "reconnected", Boolean.toString(connected.reconnected())));
        } catch (HubSpotApiException e) {
            LOG.warn("HubSpot connect failed: {}", e.getMessage());
            return redirect(Map.of("error", "token_exchange_failed", "provider", PROVIDER));
        } catch (Exception e) {
            LOG.error("HubSpot connect failed: {}", SafeErrors.describe(e));
            return redirect(Map.of("error", "connect_failed", "provider", PROVIDER));
        }
    }

    /** "Sync now" for every connected portal of the workspace (incremental), in one call. */
    @PostMapping("/sync")
    ResponseEntity<Map<String, Object>> syncAll(Workspace workspace) {
        List<UUID> runIds = new ArrayList<>();
        List<UUID> skipped = new ArrayList<>();
        for (Integration integration : integrations.listByProvider(workspace.id(), PROVIDER)) {
            if (integration.isConnected()) {
                syncs.request(integration, HubSpotSyncOptions.scheduled(), SyncRequests.MANUAL)
                        .ifPresentOrElse(runIds::addAll, () -> skipped.add(integration.id()));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (runIds.isEmpty() && !skipped.isEmpty()) {
            body.put("skipped", true);
            body.put("reason", "sync_in_progress");
        }
        body.put("sync_run_ids", runIds);
        body.put("skipped_integration_ids", skipped);
        return ResponseEntity.status(runIds.isEmpty() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(body);
    }

    private ResponseEntity<Void> redirect(Map<String, String> parameters) {
        return redirects.to(parameters);
    }
}
