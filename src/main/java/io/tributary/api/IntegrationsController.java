package io.tributary.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.health.IntegrationHealth;
import io.tributary.health.IntegrationHealthService;
import io.tributary.ingest.RecordRepository;
import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationRepository;
import io.tributary.integration.IntegrationScheduleChanged;
import io.tributary.salesforce.SalesforceSyncOptions;
import io.tributary.stripe.StripeEndpointCache;
import io.tributary.stripe.StripeProperties;
import io.tributary.stripe.StripeWebhookReceiver;
import io.tributary.sync.Disconnections;
import io.tributary.workspace.Workspace;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.quartz.CronExpression;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Connected instances of providers. Secrets go in, never out. */
@RestController
@RequestMapping("/api/v1/integrations")
public class IntegrationsController {

    private static final String SIGNING_SECRET = StripeWebhookReceiver.SIGNING_SECRET;
    private final IntegrationRepository integrations;
    private final StripeProperties stripe;
    private final StripeEndpointCache endpoints;
    private final Disconnections disconnections;
    private final RecordRepository records;
    private final ApplicationEventPublisher events;
    private final IntegrationHealthService health;

    public IntegrationsController(IntegrationRepository integrations, StripeProperties stripe,
                                  StripeEndpointCache endpoints, Disconnections disconnections,
                                  RecordRepository records, ApplicationEventPublisher events,
                                  IntegrationHealthService health) {
        this.integrations = integrations;
        this.health = health;
        this.events = events;
        this.disconnections = disconnections;
        this.records = records;
        this.stripe = stripe;
        this.endpoints = endpoints;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    public Map<String, Object> create(Workspace workspace, @RequestBody(required = false) byte[] rawBody) {
        JsonNode body = JsonFields.object(JsonFields.parse(rawBody));
        String provider = JsonFields.requiredText(body, "provider", 50);
        if (provider.equals("hubspot") || provider.equals("salesforce")) {
            throw ApiException.validation("provider",
                    provider + " is connected through OAuth: GET /app/integrations/" + provider + "/connect");
        }
        if (!provider.equals("stripe")) {
            throw ApiException.validation("provider", "must be one of stripe, hubspot, salesforce");
        }
        String name = JsonFields.requiredText(body, "name", 200);
        String secret = signingSecret(body, true);
        return view(integrations.create(workspace.id(), provider, name, "{}", Map.of(SIGNING_SECRET, secret)));
    }

    @GetMapping
    public ListPage<Map<String, Object>> list(Workspace workspace, @RequestParam(required = false) Integer limit,
                                       @RequestParam(required = false) String cursor) {
        int size = Cursors.limit(limit);
        String position = Cursors.decode(cursor);
        Instant afterCreated = Instant.EPOCH;
        UUID afterId = new UUID(0, 0);
        if (position != null) {
            String[] parts = position.split("/", 2);
            try {
                afterCreated = Instant.parse(parts[0]);
                afterId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                throw ApiException.validation("cursor", "is not a cursor this API returned");
            }
        }
        ListPage<Integration> page = ListPage.of(integrations.list(workspace.id(), afterCreated, afterId, size + 1),
                size, last -> last.createdAt() + "/" + last.id());
        Map<UUID, IntegrationHealth> healths = health.of(page.items());
        return new ListPage<>(page.items().stream().map(integration -> view(integration, healths.get(integration.id())))
                .toList(), page.nextCursor());
    }

    @GetMapping("/{id}")
    Map<String, Object> get(Workspace workspace, @PathVariable UUID id) {
        return view(find(workspace, id));
    }

    /**
     * Renames; rotates a Stripe signing secret (the old one keeps verifying for the grace period);
     * or sets a synced integration's schedule (config.cron, a Quartz cron expression).
     */
    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> update(Workspace workspace, @PathVariable UUID id,
                               @RequestBody(required = false) byte[] rawBody) {
        Integration integration = find(workspace, id);
        JsonNode body = JsonFields.object(JsonFields.parse(rawBody));
        String name = body.has("name") ? JsonFields.requiredText(body, "name", 200) : null;
        boolean stripeIntegration = integration.provider().equals("stripe");
        String secret = body.has("config") && stripeIntegration ? signingSecret(body, false) : null;
        JsonNode config = body.has("config") && !stripeIntegration ? syncConfig(body, integration.provider()) : null;
        if (name == null && secret == null && config == null) {
            throw ApiException.validation("body", "give a name or a config to change");
        }
        if (name != null) {
            integrations.rename(id, name);
        }
        if (secret != null) {
            integrations.rotateSecrets(id, Map.of(SIGNING_SECRET, secret), stripe.secretGracePeriod());
        }
        if (config != null && config.has("backfill")) {
            integrations.setConfigValue(id, "backfill", config.get("backfill").textValue());
        }
        if (config != null && config.has("cron")) {
            integrations.setConfigValue(id, "cron", cronText(config.get("cron")));
            events.publishEvent(new IntegrationScheduleChanged(id));
        }
        endpoints.evict(id);
        return view(find(workspace, id));
    }

    /** A synced integration's settable config: cron (any), backfill (Salesforce's first-sync window). */
    private static JsonNode syncConfig(JsonNode body, String provider) {
        JsonNode config = body.get("config");
        if (config == null || !config.isObject() || (!config.has("cron") && !config.has("backfill"))) {
            throw ApiException.validation("config", "must be an object with cron"
                    + (provider.equals("salesforce") ? " and/or backfill" : ""));
        }
        JsonNode cron = config.get("cron");
        if (cron != null && (!cron.isTextual() || cron.textValue().length() > 120
                || !firesAgain(cronText(cron)))) {
            throw ApiException.validation("config.cron",
                    "must be a Quartz cron expression that fires again, e.g. \"0 0/15 * * * ?\"");
        }
        JsonNode backfill = config.get("backfill");
        if (backfill != null && (!provider.equals("salesforce") || !backfill.isTextual()
                || !SalesforceSyncOptions.BACKFILLS.contains(backfill.textValue()))) {
            throw ApiException.validation("config.backfill", "must be one of " + String.join(", ",
                    SalesforceSyncOptions.BACKFILLS) + " (Salesforce integrations)");
        }
        return config;
    }

    /**
     * Quartz reads any run of whitespace as one separator, but the schedule route's URI spells each
     * separator as one '+': a tab there would leave the integration without a schedule.
     */
    private static String cronText(JsonNode cron) {
        return cron.textValue().strip().replaceAll("\\s+", " ");
    }

    /**
     * Quartz refuses to schedule a cron with no next time (a past year, February 30th): storing one
     * would leave the integration without a schedule.
     */
    private static boolean firesAgain(String cron) {
        if (!CronExpression.isValidExpression(cron)) {
            return false;
        }
        try {
            return new CronExpression(cron).getNextValidTimeAfter(new Date()) != null;
        } catch (ParseException e) {
            return false;
        }
    }

    /** What a purge of one of the provider's integrations must be confirmed with. */
    public static String purgeConfirmation(String provider) {
        return "PURGE " + provider.toUpperCase(Locale.ROOT);
    }

    /**
     * Disconnects: secrets wiped, schedule removed, queued syncs cancelled, records kept. With
     * ?purge=true and {"confirm": "PURGE <PROVIDER>"} the integration's records are deleted too.
     */
    @DeleteMapping("/{id}")
    public Map<String, Object> disconnect(Workspace workspace, @PathVariable UUID id,
                                   @RequestParam(defaultValue = "false") boolean purge,
                                   @RequestBody(required = false) byte[] rawBody) {
        Integration integration = find(workspace, id);
        if (purge) {
            String expected = purgeConfirmation(integration.provider());
            JsonNode confirm = rawBody == null || rawBody.length == 0 ? null
                    : JsonFields.object(JsonFields.parse(rawBody)).get("confirm");
            if (confirm == null || !confirm.isTextual() || !confirm.textValue().equals(expected)) {
                throw ApiException.validation("confirm", "must be \"" + expected + "\" to delete the records too");
            }
        }
        disconnections.disconnect(integration);
        Map<String, Object> view = view(find(workspace, id));
        if (purge) {
            view.put("purged_records", records.deleteByIntegration(workspace.id(), id));
        }
        endpoints.evict(id);
        return view;
    }

    private Integration find(Workspace workspace, UUID id) {
        return integrations.find(workspace.id(), id).orElseThrow(() -> ApiException.notFound("Integration"));
    }

    private static String signingSecret(JsonNode body, boolean required) {
        JsonNode config = body.get("config");
        if (config == null || !config.isObject()) {
            throw ApiException.validation("config", "must be an object holding signing_secret");
        }
        JsonNode secret = config.get(SIGNING_SECRET);
        if (secret == null || !secret.isTextual() || !secret.textValue().startsWith("whsec_")
                || secret.textValue().length() < 10 || secret.textValue().length() > 500) {
            // The message never echoes what was sent: it may be a real secret in the wrong place.
            throw ApiException.validation("config.signing_secret",
                    (required ? "is required and " : "") + "must be the endpoint's signing secret (whsec_…)");
        }
        return secret.textValue();
    }

    private Map<String, Object> view(Integration integration) {
        return view(integration, health.of(integration));
    }

    private static Map<String, Object> view(Integration integration, IntegrationHealth health) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", integration.id());
        view.put("provider", integration.provider());
        view.put("name", integration.name());
        view.put("status", integration.status());
        if (integration.provider().equals("stripe")) {
            view.put("webhook_path", "/webhooks/stripe/" + integration.id());
        }
        view.put("config", JsonFields.parse(integration.config().getBytes(StandardCharsets.UTF_8)));
        view.put("created_at", integration.createdAt());
        view.put("connected_at", integration.connectedAt());
        view.put("disconnected_at", integration.disconnectedAt());
        view.put("health", health);
        return view;
    }
}
