package io.tributary.salesforce;

import io.tributary.common.SafeErrors;
import io.tributary.integration.OAuthStateRepository;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.SalesforceLoginConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * One camel-salesforce component per connected org ("salesforce-<integration id>-<n>"), made on first
 * use. The component logs in lazily against this node's session broker (SalesforceSessionBroker),
 * which hands it the org's stored session: token refreshes stay with Tributary (serialized across
 * nodes, rotated refresh tokens kept), which camel-salesforce alone cannot do. Automatic re-login is
 * off, so a 401 reaches the caller, which refreshes and asks for a fresh component.
 */
@Component
public class SalesforceComponents {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceComponents.class);
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

    private final CamelContext camel;
    private final SalesforceProperties properties;
    private final Map<UUID, String> components = new ConcurrentHashMap<>();
    private final String brokerSecret = OAuthStateRepository.randomToken();
    private final AtomicLong generation = new AtomicLong();
    private volatile int port;

    public SalesforceComponents(CamelContext camel, SalesforceProperties properties) {
        this.camel = camel;
        this.properties = properties;
    }

    @EventListener
    public void onWebServer(WebServerInitializedEvent event) {
        port = event.getWebServer().getPort();
    }

    /** The name of the org's component, made and started if it is not there yet. */
    public String componentFor(UUID integrationId) {
        return components.computeIfAbsent(integrationId, this::create);
    }

    /** Drops the org's component (the org is gone); the next call makes a new one. */
    public void discard(UUID integrationId) {
        String name = components.get(integrationId);
        if (name != null) {
            discard(integrationId, name);
        }
    }

    /**
     * Drops the org's component if it is still this one (its session is spent): the org's other
     * lane may have replaced it already, and its fresh component must stay.
     */
    public void discard(UUID integrationId, String name) {
        if (components.remove(integrationId, name)) {
            try {
                camel.removeEndpoints(name + ":*");
                camel.removeComponent(name);
            } catch (Exception e) {
                LOG.warn("Could not remove Salesforce component of integration {}: {}", integrationId,
                        SafeErrors.describe(e));
            }
        }
    }

    /** Whether a session request comes from one of this node's components. */
    boolean isOwnComponent(String clientSecret) {
        return brokerSecret.equals(clientSecret);
    }

    private String create(UUID integrationId) {
        if (port == 0) {
            throw new IllegalStateException("the web server has not started yet");
        }
        SalesforceLoginConfig login = new SalesforceLoginConfig();
        login.setType(AuthenticationType.REFRESH_TOKEN);
        login.setLoginUrl("http://127.0.0.1:" + port + SalesforceSessionBroker.PATH + integrationId);
        login.setClientId("tributary");
        login.setClientSecret(brokerSecret);
        // Not a Salesforce token: the broker knows the org from the URL and checks the secret.
        login.setRefreshToken("session");
        login.setLazyLogin(true);
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(properties.apiVersion());
        config.setRawPayload(true);
        SalesforceComponent component = new SalesforceComponent();
        component.setLoginConfig(login);
        component.setConfig(config);
        // Mutable: Camel removes each property from the map as it binds it.
        component.setHttpClientProperties(new HashMap<>(Map.of("maxRetries", 0)));
        component.setHttpMaxContentLength(MAX_RESPONSE_BYTES);
        component.setHttpRequestTimeout(properties.requestTimeout().toMillis());
        // A new name per component: endpoints and producers cached under an old name can never reach this one.
        String name = "salesforce-" + integrationId + "-" + generation.incrementAndGet();
        camel.addComponent(name, component);
        return name;
    }
}
