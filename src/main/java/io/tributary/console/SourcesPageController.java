package io.tributary.console;

import io.tributary.api.ListPage;
import io.tributary.api.SourcesController;
import io.tributary.ingest.Source;
import io.tributary.workspace.Workspace;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The Sources page: built-in and custom sources; register one, delete a custom one (the API's rules). */
@Controller
@RequestMapping(SourcesPageController.PAGE)
class SourcesPageController {

    static final String PAGE = ConsolePaths.ROOT + "/sources";
    private static final int PAGE_SIZE = 100;

    private final SourcesController sources;
    private final JsonBodies bodies;

    SourcesPageController(SourcesController sources, JsonBodies bodies) {
        this.sources = sources;
        this.bodies = bodies;
    }

    @GetMapping
    String page(Workspace workspace, @RequestParam(required = false) String cursor, Model model) {
        ListPage<Source> page = sources.list(workspace, PAGE_SIZE, cursor);
        model.addAttribute("sources", page.items().stream().map(source -> Map.of("key", source.key(),
                "displayName", source.displayName(), "builtIn", source.builtIn(),
                "created", ConsoleText.time(source.createdAt()))).toList());
        model.addAttribute("nextCursor", page.nextCursor());
        return "console/sources";
    }

    @PostMapping
    String register(Workspace workspace, @RequestParam(defaultValue = "") String key,
                    @RequestParam(name = "display_name", defaultValue = "") String displayName,
                    RedirectAttributes flash) {
        return FormOutcome.run(flash, PAGE, () -> {
            Source source = sources.register(workspace, bodies.of(Map.of("key", key.strip(),
                    "display_name", displayName.strip())));
            return "Source \"" + source.key() + "\" registered: records with system \"" + source.key()
                    + "\" can now be ingested.";
        });
    }

    @PostMapping("/{key}/delete")
    String delete(Workspace workspace, @PathVariable String key, @RequestParam(defaultValue = "false") boolean purge,
                  RedirectAttributes flash) {
        return FormOutcome.run(flash, PAGE, () -> {
            sources.remove(workspace, key, purge);
            return "Source \"" + key + "\" deleted" + (purge ? " with its records." : ".");
        });
    }
}
