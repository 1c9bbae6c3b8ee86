package io.tributary.salesforce;

import io.tributary.common.SafeErrors;
import io.tributary.integration.OAuthStateRepository;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.SalesforceLoginConfig;
import org.apache.camel.support.service.ServiceHelper;
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
 *
 * <p>Every call holds a {@link Lease} on the component it runs on. A component whose session is spent
 * is retired: new calls get a fresh one, and the retired one is stopped only when its last call has
 * ended. Stopping a camel-salesforce component shuts down the worker pool its answers are handed to,
 * so an answer arriving after the stop is dropped and its caller would wait for ever.
 */
@Component
public class SalesforceComponents {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceComponents.class);
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

    private final CamelContext camel;
    private final SalesforceProperties properties;
    /** Each org's current component; guarded by this. */
    private final Map<UUID, OrgComponent> current = new HashMap<>();
    /** Every component not yet removed, current or retired, by name. */
    private final Map<String, OrgComponent> byName = new ConcurrentHashMap<>();
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

    /** A lease on the org's current component (made if there is none) for one call; close it when the call is over. */
    public Lease lease(UUID integrationId) {
        synchronized (this) {
            OrgComponent component = current.computeIfAbsent(integrationId, this::create);
            component.inFlight++;
            return new Lease(component);
        }
    }

    /** The org is gone: its component is retired (removed once its calls have ended). */
    public void discard(UUID integrationId) {
        OrgComponent component;
        synchronized (this) {
            component = current.get(integrationId);
        }
        if (component != null) {
            retire(component);
        }
    }

    /** Whether a session request comes from one of this node's components. */
    boolean isOwnComponent(String clientSecret) {
        return brokerSecret.equals(clientSecret);
    }

    /** Records the access token the named component logged in with; false when no such component is alive. */
    boolean handedOut(UUID integrationId, String name, String accessToken) {
        OrgComponent component = byName.get(name);
        if (component == null || !component.integrationId.equals(integrationId)) {
            return false;
        }
        component.accessToken = accessToken;
        return true;
    }

    /** Whether the named component is still alive (current or retired with calls in flight). */
    public boolean isAlive(String name) {
        return byName.containsKey(name);
    }

    private void retire(OrgComponent component) {
        boolean removeNow;
        synchronized (this) {
            current.remove(component.integrationId, component);
            component.retired = true;
            removeNow = component.inFlight == 0 && !component.removed;
            component.removed |= removeNow;
        }
        if (removeNow) {
            remove(component);
        }
    }

    private void release(OrgComponent component) {
        boolean removeNow;
        synchronized (this) {
            component.inFlight--;
            removeNow = component.retired && component.inFlight == 0 && !component.removed;
            component.removed |= removeNow;
        }
        if (removeNow) {
            remove(component);
        }
    }

    private void remove(OrgComponent component) {
        byName.remove(component.name);
        try {
            component.producers.values().forEach(ServiceHelper::stopAndShutdownService);
            camel.removeEndpoints(component.name + ":*");
            camel.removeComponent(component.name);
        } catch (Exception e) {
            LOG.warn("Could not remove Salesforce component of integration {}: {}", component.integrationId,
                    SafeErrors.describe(e));
        }
    }

    private OrgComponent create(UUID integrationId) {
        if (port == 0) {
            throw new IllegalStateException("the web server has not started yet");
        }
        // A new name per component: endpoints and producers cached under an old name can never reach this one.
        String name = "salesforce-" + integrationId + "-" + generation.incrementAndGet();
        SalesforceLoginConfig login = new SalesforceLoginConfig();
        login.setType(AuthenticationType.REFRESH_TOKEN);
        // The broker knows the org and the component from the URL, and checks the secret.
        login.setLoginUrl("http://127.0.0.1:" + port + SalesforceSessionBroker.PATH + integrationId + "/" + name);
        login.setClientId("tributary");
        login.setClientSecret(brokerSecret);
        // Not a Salesforce token: the broker hands out the org's stored session.
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
        OrgComponent org = new OrgComponent(integrationId, name);
        byName.put(name, org);
        camel.addComponent(name, component);
        return org;
    }

    /** One camel-salesforce component and the calls in flight on it. */
    private static final class OrgComponent {
        final UUID integrationId;
        final String name;
        /** One started producer per operation (query, queryAll, queryMore), stopped with the component. */
        final Map<String, AsyncProducer> producers = new ConcurrentHashMap<>();
        /** The access token its login was handed (by the broker, on this node's HTTP thread). */
        volatile String accessToken;
        int inFlight;
        boolean retired;
        boolean removed;

        OrgComponent(UUID integrationId, String name) {
            this.integrationId = integrationId;
            this.name = name;
        }
    }

    /** One call's hold on a component: the component is not stopped before every lease on it is closed. */
    public final class Lease implements AutoCloseable {

        private final OrgComponent component;
        private boolean closed;

        private Lease(OrgComponent component) {
            this.component = component;
        }

        public String name() {
            return component.name;
        }

        /** The access token this component logged in with, once it has. */
        public Optional<String> accessToken() {
            return Optional.ofNullable(component.accessToken);
        }

        /**
         * Runs the operation and waits at most for the deadline: camel-salesforce hands its answer to a
         * callback, and nothing else bounds the wait for that callback.
         */
        public Exchange request(String operation, Map<String, Object> headers, Duration deadline)
                throws TimeoutException, InterruptedException {
            AsyncProducer producer = component.producers.computeIfAbsent(operation, this::startProducer);
            Endpoint endpoint = producer.getEndpoint();
            Exchange exchange = endpoint.createExchange(ExchangePattern.InOut);
            exchange.getMessage().setHeaders(new HashMap<>(headers));
            CompletableFuture<Exchange> answered = new CompletableFuture<>();
            producer.process(exchange, doneSync -> answered.complete(exchange));
            try {
                return answered.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a completed exchange cannot fail its future", e);
            }
        }

        /** This component's session is spent (or its call hung): the next lease gets a fresh component. */
        public void retire() {
            SalesforceComponents.this.retire(component);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(component);
            }
        }

        private AsyncProducer startProducer(String operation) {
            try {
                AsyncProducer producer = camel.getEndpoint(component.name + ":" + operation).createAsyncProducer();
                ServiceHelper.startService(producer);
                return producer;
            } catch (Exception e) {
                throw new IllegalStateException("could not start the Salesforce " + operation + " producer", e);
            }
        }
    }
}
