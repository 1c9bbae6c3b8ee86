package io.tributary.api;

import io.tributary.stripe.WebhookEvent;
import io.tributary.stripe.WebhookEventRepository;
import io.tributary.workspace.Workspace;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Stored webhook events: what arrived, how processing went, and replay. */
@RestController
@RequestMapping("/api/v1/webhook-events")
public class WebhookEventsController {

    private final WebhookEventRepository events;

    public WebhookEventsController(WebhookEventRepository events) {
        this.events = events;
    }

    @GetMapping
    public ListPage<WebhookEvent> list(Workspace workspace,
                                @RequestParam(name = "integration_id", required = false) UUID integrationId,
                                @RequestParam(required = false) String status,
                                @RequestParam(required = false) String type,
                                @RequestParam(required = false) Integer limit,
                                @RequestParam(required = false) String cursor) {
        String statusFilter = Cursors.filter("status", status);
        if (statusFilter != null && !WebhookEvent.STATUSES.contains(statusFilter)) {
            throw ApiException.validation("status", "must be one of received, processed, failed");
        }
        int size = Cursors.limit(limit);
        long before = cursor == null || cursor.isEmpty() ? Long.MAX_VALUE : Cursors.decodeLong(cursor);
        WebhookEventRepository.Filter filter =
                new WebhookEventRepository.Filter(integrationId, statusFilter, Cursors.filter("type", type));
        return ListPage.of(events.page(workspace.id(), filter, before, size + 1), size,
                last -> Long.toString(last.id()));
    }

    @GetMapping("/{id}")
    public Map<String, Object> get(Workspace workspace, @PathVariable long id) {
        WebhookEvent event = find(workspace, id);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", event.id());
        view.put("integration_id", event.integrationId());
        view.put("event_id", event.eventId());
        view.put("type", event.type());
        view.put("status", event.status());
        view.put("attempts", event.attempts());
        view.put("last_error", event.lastError());
        view.put("event_created", event.eventCreated());
        view.put("received_at", event.receivedAt());
        view.put("processed_at", event.processedAt());
        view.put("event", JsonFields.parse(event.payload().getBytes(StandardCharsets.UTF_8)));
        view.put("history", events.attempts(event.id()));
        return view;
    }

    @PostMapping("/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, Object> replay(Workspace workspace, @PathVariable long id) {
        if (!events.requeue(workspace.id(), id)) {
            throw ApiException.notFound("Webhook event");
        }
        return Map.of("id", id, "status", "received");
    }

    private WebhookEvent find(Workspace workspace, long id) {
        return events.find(workspace.id(), id).orElseThrow(() -> ApiException.notFound("Webhook event"));
    }

}
