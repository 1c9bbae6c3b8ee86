package io.tributary.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.api.ListPage;
import io.tributary.api.WebhookEventsController;
import io.tributary.stripe.WebhookEvent;
import io.tributary.workspace.Workspace;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The Webhook Events page: recent events, newest first, with their processing status; one event in detail; replay. */
@Controller
@RequestMapping(WebhookEventsPageController.PAGE)
class WebhookEventsPageController {

    static final String PAGE = ConsolePaths.ROOT + "/webhook-events";
    private static final int PAGE_SIZE = 50;

    private final WebhookEventsController events;

    WebhookEventsPageController(WebhookEventsController events) {
        this.events = events;
    }

    @GetMapping
    String page(Workspace workspace, @RequestParam(defaultValue = "") String status,
                @RequestParam(defaultValue = "") String type, @RequestParam(required = false) String cursor,
                Model model) {
        String typeFilter = type.strip();
        ListPage<WebhookEvent> page = events.list(workspace, null, status.isEmpty() ? null : status, typeFilter,
                PAGE_SIZE, cursor);
        model.addAttribute("events", page.items().stream().map(event -> Map.of("id", event.id(),
                "integrationId", event.integrationId().toString(), "eventId", event.eventId(), "type", event.type(),
                "status", event.status(), "attempts", event.attempts(),
                "lastError", event.lastError() == null ? "" : event.lastError(),
                "received", ConsoleText.time(event.receivedAt()))).toList());
        model.addAttribute("statuses", new TreeSet<>(WebhookEvent.STATUSES));
        model.addAttribute("status", status);
        model.addAttribute("type", typeFilter);
        model.addAttribute("nextCursor", page.nextCursor());
        return "console/webhook-events";
    }

    /** One stored event as the API's GET /webhook-events/{id} has it, its payload pretty-printed. */
    @GetMapping("/{id}")
    String event(Workspace workspace, @PathVariable long id, Model model) {
        Map<String, Object> event = events.get(workspace, id);
        model.addAttribute("id", id);
        model.addAttribute("eventId", event.get("event_id"));
        model.addAttribute("type", event.get("type"));
        model.addAttribute("status", event.get("status"));
        model.addAttribute("attempts", event.get("attempts"));
        model.addAttribute("lastError", event.get("last_error"));
        model.addAttribute("integrationId", event.get("integration_id"));
        model.addAttribute("created", ConsoleText.time(event.get("event_created")));
        model.addAttribute("received", ConsoleText.time(event.get("received_at")));
        model.addAttribute("processed", ConsoleText.time(event.get("processed_at")));
        model.addAttribute("payload", ((JsonNode) event.get("event")).toPrettyString());
        model.addAttribute("history", ((List<?>) event.get("history")).stream()
                .map(attempt -> (WebhookEvent.Attempt) attempt)
                .map(attempt -> Map.of("attempt", attempt.attempt(), "outcome", attempt.outcome(),
                        "error", attempt.error() == null ? "" : attempt.error(),
                        "at", ConsoleText.time(attempt.attemptedAt())))
                .toList());
        return "console/webhook-event";
    }

    /** Replay from the list returns to the list; from an event's page (to_event) to that page. */
    @PostMapping("/{id}/replay")
    String replay(Workspace workspace, @PathVariable long id,
                  @RequestParam(name = "to_event", defaultValue = "false") boolean toEvent, RedirectAttributes flash) {
        return FormOutcome.run(flash, toEvent ? PAGE + "/" + id : PAGE, () -> {
            events.replay(workspace, id);
            return "Event " + id + " queued again: the worker processes it in a moment.";
        });
    }
}
