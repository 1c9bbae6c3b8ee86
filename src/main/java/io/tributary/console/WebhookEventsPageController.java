package io.tributary.console;

import io.tributary.api.ListPage;
import io.tributary.api.WebhookEventsController;
import io.tributary.stripe.WebhookEvent;
import io.tributary.workspace.Workspace;
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

/** The Webhook Events page: recent events, newest first, with their processing status, and replay. */
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
                @RequestParam(required = false) String cursor, Model model) {
        ListPage<WebhookEvent> page = events.list(workspace, null, status.isEmpty() ? null : status, null,
                PAGE_SIZE, cursor);
        model.addAttribute("events", page.items().stream().map(event -> Map.of("id", event.id(),
                "integrationId", event.integrationId().toString(), "eventId", event.eventId(), "type", event.type(),
                "status", event.status(), "attempts", event.attempts(),
                "lastError", event.lastError() == null ? "" : event.lastError(),
                "received", ConsoleText.time(event.receivedAt()))).toList());
        model.addAttribute("statuses", new TreeSet<>(WebhookEvent.STATUSES));
        model.addAttribute("status", status);
        model.addAttribute("nextCursor", page.nextCursor());
        return "console/webhook-events";
    }

    @PostMapping("/{id}/replay")
    String replay(Workspace workspace, @PathVariable long id, RedirectAttributes flash) {
        return FormOutcome.run(flash, PAGE, () -> {
            events.replay(workspace, id);
            return "Event " + id + " queued again: the worker processes it in a moment.";
        });
    }
}
