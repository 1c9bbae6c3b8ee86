package io.tributary.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.common.SafeErrors;
import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationRepository;
import io.tributary.integration.IntegrationStatusChanged;
import io.tributary.integration.OAuthStateRepository;
import io.tributary.salesforce.SalesforceApiException;
import io.tributary.salesforce.SalesforceLoginHosts;
import io.tributary.salesforce.SalesforceOAuthClient;
import io.tributary.salesforce.SalesforceProperties;
import io.tributary.salesforce.SalesforceRecordMapper;
import io.tributary.salesforce.SalesforceSyncRequests;
import io.tributary.salesforce.SalesforceTokens;
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
 * The console's Salesforce endpoints: OAuth connect (production, sandbox or My Domain, with PKCE)
 * and its callback (authenticated by the single-use state), and "sync now" for every org.
 */
@RestController
@RequestMapping("/app/integrations/salesforce")
public class SalesforceConnectController {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceConnectController.class);
    private static final String PROVIDER = SalesforceRecordMapper.SYSTEM;
    private static final String LOGIN_URL = "login_url";
    private static final String VERIFIER = "code_verifier";
    private static final String ENVIRONMENT = "environment";

    private final SalesforceProperties properties;
    private final SalesforceLoginHosts loginHosts;
    private final SalesforceOAuthClient oauth;
    private final OAuthStateRepository states;
    private final IntegrationRepository integrations;
    private final SalesforceSyncRequests syncs;
    private final ApplicationEventPublisher events;
    private final ObjectMapper json;
    private final ConsoleRedirects redirects;

    public SalesforceConnectController(SalesforceProperties properties, SalesforceLoginHosts loginHosts,
                                       SalesforceOAuthClient oauth, OAuthStateRepository states,
                                       IntegrationRepository integrations, SalesforceSyncRequests syncs,
                                       ApplicationEventPublisher events, ObjectMapper json, ConsoleRedirects redirects) {
        this.properties = properties;
        this.loginHosts = loginHosts;
        this.oauth = oauth;
        this.states = states;
        this.integrations = integrations;
        this.syncs = syncs;
        this.events = events;
        this.json = json;
        this.redirects = redirects;
    }

    @GetMapping("/connect")
    public ResponseEntity<Map<String, Object>> connect(Workspace workspace,
                                                @RequestParam(required = false) String environment,
                                                @RequestParam(required = false) String domain,
                                                @RequestParam(required = false) String name,
                                                @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                                HttpServletRequest request) {
        if (properties.clientId() == null || properties.clientId().isBlank()
                || properties.clientSecret() == null || properties.clientSecret().isBlank()) {
            throw new ApiException(HttpStatus.CONFLICT, "not_configured",
                    "Salesforce OAuth is not configured: set tributary.salesforce.client-id and client-secret");
        }
        String integrationName = JsonFields.optionalConnectName(name);
        String env = environment == null ? "production" : environment;
        if (!List.of("production", "sandbox", "custom").contains(env)) {
            throw ApiException.validation("environment", "must be production, sandbox or custom");
        }
        String loginUrl = loginHosts.loginUrl(env, domain).orElseThrow(() -> ApiException.validation("domain",
                "must be your org's My Domain host, ending in " + String.join(" or ", properties.allowedDomainSuffixes())));
        String verifier = OAuthStateRepository.randomToken();
        String state = states.issue(workspace.id(), PROVIDER, integrationName,
                ConnectBinding.bind(request, Map.of(LOGIN_URL, loginUrl, VERIFIER, verifier, ENVIRONMENT, env)),
                properties.stateTtl());
        return ConsoleRedirects.authorize(oauth.authorizeUrl(loginUrl, state, verifier), accept);
    }

    /** Salesforce sends the user back here; a valid state always ends in a redirect to the console. */
    @GetMapping("/callback")
    ResponseEntity<Void> callback(@RequestParam(required = false) String code,
                                  @RequestParam(required = false) String state,
                                  @RequestParam(required = false) String error, HttpServletRequest request) {
        OAuthStateRepository.Pending pending = states.consume(state, PROVIDER).orElseThrow(() -> new ApiException(
                HttpStatus.BAD_REQUEST, "invalid_state", "The OAuth state is unknown, already used or expired"));
        if (!ConnectBinding.holds(request, pending)) {
            LOG.warn("Salesforce connect refused: finished in another browser than the console session that started it");
            return redirects.to(Map.of("error", "other_browser", "provider", PROVIDER));
        }
        if (error != null || code == null || code.isBlank()) {
            return redirects.to(Map.of("error", error != null ? "access_denied" : "missing_code", "provider", PROVIDER));
        }
        try {
            SalesforceTokens tokens = oauth.exchangeCode(pending.context().get(LOGIN_URL), code,
                    pending.context().get(VERIFIER));
            String orgId = oauth.organizationId(tokens);
            boolean personAccounts = oauth.hasPersonAccounts(tokens);
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("org_id", orgId);
            config.put("environment", pending.context().get(ENVIRONMENT));
            config.put("instance_url", tokens.instanceUrl());
            config.put("person_accounts", personAccounts);
            String name = pending.name() != null ? pending.name() : orgId;
            IntegrationRepository.Connected connected = integrations.connect(pending.workspaceId(), PROVIDER, orgId,
                    name, json.writeValueAsString(config), tokens.toSecrets());
            events.publishEvent(new IntegrationStatusChanged(connected.integration().id()));
            return redirects.to(Map.of("connected", PROVIDER, "integration_id", connected.integration().id().toString(),
                    "reconnected", Boolean.toString(connected.reconnected())));
        } catch (SalesforceApiException e) {
            LOG.warn("Salesforce connect failed: {}", e.getMessage());
            return redirects.to(Map.of("error", "token_exchange_failed", "provider", PROVIDER));
        } catch (Exception e) {
            LOG.error("Salesforce connect failed: {}", SafeErrors.describe(e));
            return redirects.to(Map.of("error", "connect_failed", "provider", PROVIDER));
        }
    }

    /** "Sync now" for every connected org of the workspace (accounts and contacts), in one call. */
    @PostMapping("/sync")
    ResponseEntity<Map<String, Object>> syncAll(Workspace workspace) {
        List<UUID> runIds = new ArrayList<>();
        for (Integration integration : integrations.listByProvider(workspace.id(), PROVIDER)) {
            if (integration.isConnected()) {
                runIds.addAll(syncs.request(integration, null, SyncRequests.MANUAL, new ArrayList<>()));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (runIds.isEmpty()) {
            body.put("skipped", true);
            body.put("reason", "sync_in_progress");
        }
        body.put("sync_run_ids", runIds);
        return ResponseEntity.status(runIds.isEmpty() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(body);
    }
}
