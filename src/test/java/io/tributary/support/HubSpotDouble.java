package io.tributary.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.tributary.support.HubSpotDoubleReply.Rejected;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fake HubSpot for tests: the OAuth endpoints and the CRM endpoints Tributary calls, answered
 * from in-memory portals with HubSpot's JSON shapes, paging, errors and status codes. It runs on
 * WireMock on a dynamic localhost port; every route is a stub whose response a WireMock extension
 * ({@link HubSpotDoubleTransformer}) computes. One base URL serves both HubSpot hosts
 * (app.hubspot.com's /oauth/authorize and api.hubapi.com's API).
 *
 * <p>Tests shape it: portals and their records, token lifetimes and expiry, injected 429s and
 * 5xx, missing scopes, real rate limits, and read back what the app did (request counts, grants,
 * revocations). Safe to call from several threads.
 */
public final class HubSpotDouble implements AutoCloseable {

    public static final String CLIENT_ID = "test-client-id";
    public static final String CLIENT_SECRET = "test-client-secret";
    /** The app_id that token info reports. */
    public static final long APP_ID = 4_242_424;

    /** A deal pipeline stage; without metadata, an open stage with probability 0.5. */
    public record Stage(String id, String label, int displayOrder, Map<String, String> metadata) {

        public Stage {
            metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
        }

        public Stage(String id, String label, int displayOrder) {
            this(id, label, displayOrder, Map.of("isClosed", "false", "probability", "0.5"));
        }
    }

    record Pipeline(String id, String label, int displayOrder, List<Stage> stages, long createdAt) {
    }

    /** What the WireMock extension hands over of one request. */
    record Call(String route, String path, String query, String authorization, String contentType, String body) {
    }

    /** Every portal starts with HubSpot's default deal pipeline ("default", "Sales Pipeline"). */
    private static final List<Stage> DEFAULT_STAGES = List.of(
            open("appointmentscheduled", "Appointment Scheduled", 0, "0.2"),
            open("qualifiedtobuy", "Qualified To Buy", 1, "0.4"),
            open("presentationscheduled", "Presentation Scheduled", 2, "0.6"),
            open("decisionmakerboughtin", "Decision Maker Bought-In", 3, "0.8"),
            open("contractsent", "Contract Sent", 4, "0.9"),
            new Stage("closedwon", "Closed Won", 5, Map.of("isClosed", "true", "probability", "1.0")),
            new Stage("closedlost", "Closed Lost", 6, Map.of("isClosed", "true", "probability", "0.0")));

    private final WireMockServer server;
    private final HubSpotDoubleOAuth oauth = new HubSpotDoubleOAuth(this);
    private final HubSpotDoubleLimits limits = new HubSpotDoubleLimits();
    private final Map<Long, Portal> portals = new ConcurrentHashMap<>();
    private final Set<String> forbidden = ConcurrentHashMap.newKeySet();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final HeldRequests held = new HeldRequests();

    private HubSpotDouble() {
        server = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                // Nothing reads WireMock's own request records: building them would slow large pages.
                .disableRequestJournal()
                .stubRequestLoggingDisabled(true)
                .maxLoggedResponseSize(0)
                .gzipDisabled(true)
                .notifier(new ConsoleNotifier(false))
                .extensions(new HubSpotDoubleTransformer(this)));
    }

    /** Starts WireMock on a free localhost port with every route stubbed. */
    public static HubSpotDouble start() {
        HubSpotDouble hubspot = new HubSpotDouble();
        hubspot.server.start();
        hubspot.route(get(urlPathEqualTo("/oauth/authorize")), "authorize");
        hubspot.route(post(urlPathMatching("/oauth/(v1|2026-03)/token")), "token");
        hubspot.route(get(urlPathMatching("/oauth/v1/access-tokens/[^/]+")), "token-info");
        hubspot.route(delete(urlPathMatching("/oauth/v1/refresh-tokens/[^/]+")), "revoke");
        hubspot.route(post(urlPathMatching("/crm/v3/objects/[^/]+/search")), "search");
        hubspot.route(post(urlPathMatching("/crm/v3/objects/[^/]+/batch/read")), "batch-read");
        hubspot.route(post(urlPathMatching("/crm/v4/associations/[^/]+/[^/]+/batch/read")), "associations");
        hubspot.route(get(urlPathMatching("/crm/v3/pipelines/(deals|0-3)")), "pipelines");
        // Lowest priority: anything else is counted too, then answered 404.
        hubspot.route(any(anyUrl()).atPriority(10), "unknown");
        return hubspot;
    }

    /** "http://localhost:port": HubSpot's auth host and API host in one. */
    /** The app's command-line arguments that point it at this double: the OAuth app and the hosts. */
    public List<String> appArguments() {
        return List.of("--tributary.hubspot.client-id=" + CLIENT_ID, "--tributary.hubspot.client-secret=" + CLIENT_SECRET,
                "--tributary.hubspot.auth-base-url=" + baseUrl(), "--tributary.hubspot.api-base-url=" + baseUrl());
    }

    public String baseUrl() {
        return "http://localhost:" + server.port();
    }

    /** The portal with this hub id, created on first use. */
    public Portal portal(long hubId, String hubDomain) {
        return portals.computeIfAbsent(hubId, id -> new Portal(id, hubDomain));
    }

    /** A one-time authorization code for the portal, as HubSpot's redirect after consent carries. */
    public String issueCode(Portal portal) {
        return oauth.issueCode(portal);
    }

    /** Visits to /oauth/authorize are approved by a user of this portal (redirect with a code); null: declined. */
    public void consentAs(Portal portal) {
        oauth.consentAs(portal);
    }

    /** expires_in of tokens issued from now on (default 1800, HubSpot's 30 minutes). */
    public void setAccessTokenLifetimeSeconds(int seconds) {
        oauth.setLifetime(seconds);
    }

    /** Every access token issued so far answers 401 EXPIRED_AUTHENTICATION from now on. */
    public void expireAccessTokens() {
        oauth.expireAll();
    }

    /** The access tokens valid now serve this many more CRM requests, then expire (mid-sync expiry). */
    public void expireAccessTokensAfter(int requests) {
        oauth.expireAfter(requests);
    }

    /** Every refresh token issued so far is refused from now on (BAD_REFRESH_TOKEN / invalid_grant). */
    public void revokeRefreshTokens() {
        oauth.revokeAll();
    }

    /** The next count CRM requests answer this 5xx status with a HubSpot error body. */
    public void failNext(int count, int status) {
        limits.failNext(count, status);
    }

    /** The next count CRM requests answer 429 with Retry-After and HubSpot's rate-limit body. */
    public void throttleNext(int count, int retryAfterSeconds) {
        limits.throttleNext(count, retryAfterSeconds);
    }

    /**
     * Enforces HubSpot's limits per portal: perTenSeconds non-search requests in a rolling 10 s, and
     * searchPerSecond searches in a rolling second; past them, a 429. Zero turns a limit off (the default).
     */
    public void enforceRateLimits(int perTenSeconds, int searchPerSecond) {
        limits.enforce(perTenSeconds, searchPerSecond);
    }

    /** CRM requests touching this object type ("companies", "contacts", "deals") answer 403 MISSING_SCOPES. */
    public void forbid(String objectType) {
        if (!HubSpotDoubleStore.TYPES.contains(objectType)) {
            throw new IllegalArgumentException("type must be one of " + HubSpotDoubleStore.TYPES + ", not "
                    + objectType);
        }
        forbidden.add(objectType);
    }

    /** How many requests arrived whose path starts with the prefix (query strings aside). */
    public int requests(String pathPrefix) {
        long count = 0;
        for (Map.Entry<String, LongAdder> entry : requests.entrySet()) {
            if (entry.getKey().startsWith(pathPrefix)) {
                count += entry.getValue().sum();
            }
        }
        return Math.toIntExact(count);
    }

    /** How many 429s were served, injected or enforced. */
    public int throttled() {
        return limits.throttled();
    }

    /** Successful token grants of this type: "authorization_code" or "refresh_token". */
    public int tokenGrants(String grantType) {
        return oauth.grants(grantType);
    }

    /** Every access and refresh token issued so far: values that must never show up in a log or answer. */
    public Set<String> issuedTokens() {
        return oauth.issued();
    }

    /** The refresh tokens the app revoked with DELETE /oauth/v1/refresh-tokens/{token}, in order. */
    public List<String> refreshTokensRevoked() {
        return oauth.revokedViaApi();
    }

    /** Forgets every portal, token, counter and injected fault; the server keeps its port. */
    public void reset() {
        portals.clear();
        forbidden.clear();
        requests.clear();
        held.releaseAll();
        oauth.reset();
        limits.reset();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** The scopes tokens carry: oauth and reading each object type not forbidden. */
    List<String> scopes() {
        List<String> scopes = new ArrayList<>(List.of("oauth"));
        HubSpotDoubleStore.TYPES.stream().filter(type -> !forbidden.contains(type)).map(HubSpotDouble::scope)
                .forEach(scopes::add);
        return scopes;
    }

    /**
     * Holds the next request of the portal whose path starts with the prefix unanswered until the hold is
     * released (or the double reset): a provider that accepts a request and does not answer it.
     */
    public HeldRequests.Hold holdNext(Portal portal, String pathPrefix) {
        return held.hold(portal, pathPrefix, 0);
    }

    /** Like holdNext, for the request after passFirst such requests of the portal have been answered. */
    public HeldRequests.Hold hold(Portal portal, String pathPrefix, int passFirst) {
        return held.hold(portal, pathPrefix, passFirst);
    }

    /** Lets every held request be answered. */
    public void releaseHeld() {
        held.releaseAll();
    }

    /** Answers one request; called by the WireMock extension on WireMock's threads. */
    HubSpotDoubleReply handle(Call call) {
        requests.computeIfAbsent(call.path(), path -> new LongAdder()).increment();
        held.pass(oauth.ownerOf(call.authorization(), call.body()), call.path());
        try {
            return switch (call.route()) {
                case "authorize" -> oauth.authorize(call);
                case "token" -> oauth.token(call);
                case "token-info" -> oauth.info(lastSegment(call.path()));
                case "revoke" -> oauth.revoke(lastSegment(call.path()));
                case "unknown" -> HubSpotDoubleReply.error(404, "OBJECT_NOT_FOUND",
                        "The HubSpot double does not serve " + call.path());
                default -> crm(call);
            };
        } catch (Rejected rejected) {
            return rejected.reply();
        }
    }

    /** A CRM request: bearer token, then injected faults and rate limits, then scopes, then the endpoint. */
    private HubSpotDoubleReply crm(Call call) {
        Portal portal = oauth.authenticate(call.authorization());
        boolean search = call.route().equals("search");
        HubSpotDoubleReply reply = limits.admit(portal.hubId(), search);
        if (reply == null) {
            try {
                reply = serve(call, portal);
            } catch (Rejected rejected) {
                reply = rejected.reply();
            }
        }
        // HubSpot documents that search responses carry no rate-limit headers.
        return search ? reply : reply.withHeaders(limits.headers(portal.hubId(), reply.status() == 429));
    }

    private HubSpotDoubleReply serve(Call call, Portal portal) {
        // Paths: /crm/v3/objects/{type}/..., /crm/v4/associations/{from}/{to}/batch/read, /crm/v3/pipelines/deals
        String[] segments = call.path().split("/");
        return switch (call.route()) {
            case "search" -> HubSpotDoubleCrm.search(portal, readable(segments[4]), call.body());
            case "batch-read" -> HubSpotDoubleCrm.batchRead(portal, readable(segments[4]), call.body());
            case "associations" -> {
                String from = readable(segments[4]);
                yield HubSpotDoubleCrm.associations(portal, from, readable(segments[5]), call.body());
            }
            default -> {
                readable("deals");
                yield HubSpotDoubleCrm.pipelines(portal);
            }
        };
    }

    /** The object type a path names, if the app has the scope to read it; else the 403 HubSpot gives. */
    private String readable(String name) {
        String type = HubSpotDoubleCrm.objectType(name);
        if (forbidden.contains(type)) {
            ObjectNode body = HubSpotDoubleReply.errorBody("MISSING_SCOPES", "This app hasn't been granted all "
                    + "required scopes to make this call. Read more about required scopes here: "
                    + "https://developers.hubspot.com/scopes.");
            body.putArray("errors").addObject().put("message", "One or more of the following scopes are required.")
                    .putObject("context").putArray("requiredGranularScopes").add(scope(type));
            body.putObject("links").put("scopes", "https://developers.hubspot.com/scopes");
            throw new Rejected(HubSpotDoubleReply.json(403, body));
        }
        return type;
    }

    private void route(MappingBuilder request, String route) {
        server.stubFor(request.willReturn(aResponse().withTransformers(HubSpotDoubleTransformer.NAME)
                .withTransformerParameter("route", route)));
    }

    private static String scope(String type) {
        return "crm.objects." + type + ".read";
    }

    private static String lastSegment(String path) {
        return URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
    }

    private static Stage open(String id, String label, int displayOrder, String probability) {
        return new Stage(id, label, displayOrder, Map.of("isClosed", "false", "probability", probability));
    }

    /** One HubSpot account: its CRM records, associations and deal pipelines. */
    public final class Portal {

        private final long hubId;
        private final String hubDomain;
        private final Map<String, HubSpotDoubleStore> stores = new HashMap<>();
        /** "from>to" → from id → to ids; every association is stored in both directions. */
        private final Map<String, Map<Long, TreeSet<Long>>> associations = new HashMap<>();
        private final Map<String, Pipeline> pipelines = new LinkedHashMap<>();

        private Portal(long hubId, String hubDomain) {
            this.hubId = hubId;
            this.hubDomain = hubDomain;
            HubSpotDoubleStore.TYPES.forEach(type -> stores.put(type, new HubSpotDoubleStore(type)));
            addPipeline("default", "Sales Pipeline", 0, DEFAULT_STAGES);
        }

        public long hubId() {
            return hubId;
        }

        public String hubDomain() {
            return hubDomain;
        }

        /**
         * Creates or replaces a record of "companies", "contacts" or "deals". Its properties become
         * exactly these; hs_object_id, createdate (the first version's time) and the modification
         * time follow from the arguments.
         */
        public void put(String type, long id, Instant lastModified, Map<String, String> properties) {
            store(checked(type)).put(id, lastModified.toEpochMilli(), properties == null ? Map.of() : properties);
        }

        /**
         * count records with ids firstId.. modified (and created) at firstModified + i * step (step
         * may be zero: one shared time). They are held as a range, not one by one; their properties
         * are computed from the id: companies name "companies 17" and domain "companies-17.example.com";
         * contacts firstname "contacts", lastname "17", email "contacts-17@example.com"; deals
         * dealname "deals 17", amount, pipeline "default", dealstage "appointmentscheduled".
         */
        public void generate(String type, int count, long firstId, Instant firstModified, Duration step) {
            store(checked(type)).generate(count, firstId, firstModified.toEpochMilli(), step.toMillis());
        }

        /** Associates two records (of different types); readable from either side. */
        public synchronized void associate(String fromType, long fromId, String toType, long toId) {
            if (checked(fromType).equals(checked(toType))) {
                throw new IllegalArgumentException("the double associates records of different types only");
            }
            associations.computeIfAbsent(fromType + ">" + toType, pair -> new HashMap<>())
                    .computeIfAbsent(fromId, id -> new TreeSet<>()).add(toId);
            associations.computeIfAbsent(toType + ">" + fromType, pair -> new HashMap<>())
                    .computeIfAbsent(toId, id -> new TreeSet<>()).add(fromId);
        }

        /** Adds a deal pipeline, or replaces the one with this id (such as "default"). */
        public synchronized void addPipeline(String id, String label, int displayOrder, List<Stage> stages) {
            pipelines.put(id, new Pipeline(id, label, displayOrder, List.copyOf(stages), System.currentTimeMillis()));
        }

        public int count(String type) {
            return Math.toIntExact(store(checked(type)).size());
        }

        /** The installing user's id, as token info reports it. */
        long userId() {
            return 1_000 + hubId % 1_000_000;
        }

        HubSpotDoubleStore store(String type) {
            return stores.get(type);
        }

        synchronized List<Long> associated(String fromType, long fromId, String toType) {
            return List.copyOf(associations.getOrDefault(fromType + ">" + toType, Map.of())
                    .getOrDefault(fromId, new TreeSet<>()));
        }

        synchronized List<Pipeline> pipelines() {
            List<Pipeline> ordered = new ArrayList<>(pipelines.values());
            ordered.sort(Comparator.comparingInt(Pipeline::displayOrder).thenComparing(Pipeline::label));
            return ordered;
        }

        private String checked(String type) {
            if (!HubSpotDoubleStore.TYPES.contains(type)) {
                throw new IllegalArgumentException("type must be one of " + HubSpotDoubleStore.TYPES + ", not " + type);
            }
            return type;
        }
    }
}
