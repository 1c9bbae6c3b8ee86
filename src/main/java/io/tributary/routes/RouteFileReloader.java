package io.tributary.routes;

import io.tributary.common.SafeText;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.EventHelper;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reloads one edited route file at a time, in place of Camel's own reload callback, so that a
 * broken file is reported (one ERROR line naming the file and the reason, and its last reload in
 * {@link #lastReload}) and does not take its routes down: the file's last good version is put back
 * and keeps running until the file is fixed. Camel's callback would log a stack trace, and after a
 * failure it retries the broken file with every later edit of any other file, failing those too.
 */
@Component
public class RouteFileReloader implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileReloader.class);

    /** The outcome of a file's latest reload; error is null when it loaded. */
    public record LastReload(Instant at, boolean ok, String error) {
    }

    /** A file's version whose routes run: its content and the ids of the routes it made. */
    private record Version(String content, Set<String> routeIds) {
    }

    private final Clock clock;
    private final Map<String, LastReload> lastReloads = new ConcurrentHashMap<>();
    /** File name → its version that runs. */
    private final Map<String, Version> lastGood = new ConcurrentHashMap<>();
    private volatile CamelContext camel;

    public RouteFileReloader(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // The reload strategy is created while the context starts: it is taken over afterwards.
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        RouteWatcherReloadStrategy watcher = camelContext.hasService(RouteWatcherReloadStrategy.class);
        if (watcher == null || watcher.isRemoveAllRoutes()) {
            // Reloading is off, or asked to reload everything at once: Camel's own behaviour applies.
            return;
        }
        camel = camelContext;
        try (Stream<Path> files = Files.list(Path.of(watcher.getFolder()))) {
            for (Path file : files.filter(f -> watcher.getFileFilter().accept(f.toFile())).toList()) {
                String name = fileName(file.toString());
                Set<String> ids = camelContext.getRoutes().stream().filter(route -> definedIn(route, name))
                        .map(Route::getRouteId).collect(Collectors.toSet());
                lastGood.put(name, new Version(Files.readString(file), ids));
            }
        } catch (IOException e) {
            LOG.warn("Could not read the route files in {}: {}", watcher.getFolder(), e.getMessage());
        }
        watcher.setResourceReload((name, resource) -> reload(name));
    }

    /** The route files known to the reloader: those found at start and those edited since. */
    public Set<String> files() {
        Set<String> files = new TreeSet<>(lastGood.keySet());
        files.addAll(lastReloads.keySet());
        return files;
    }

    public Optional<LastReload> lastReload(String file) {
        return Optional.ofNullable(lastReloads.get(file));
    }

    /** The file name a route was loaded from, or null for a route from no file (Java, or a template's copy). */
    public static String fileOf(Route route) {
        Resource source = route.getSourceResource();
        return source == null ? null : fileName(source.getLocation());
    }

    /** Routes written in the file itself; those made from its templates belong to their integrations. */
    private static boolean definedIn(Route route, String file) {
        return file.equals(fileOf(route)) && !route.isCreatedByRouteTemplate();
    }

    private void reload(String path) {
        String file = fileName(path);
        String content;
        try {
            content = Files.readString(Path.of(path));
        } catch (IOException e) {
            // Deleted or renamed: like Camel, leave its routes alone (nothing says which to stop).
            return;
        }
        if (content.isBlank()) {
            // An editor's save truncates first: the content follows with the next event.
            return;
        }
        Instant at = clock.instant();
        try {
            Set<String> ids = load(path, content);
            // The file is the truth: a route deleted from it stops (Camel alone would keep it running).
            removeRoutesOf(file, ids);
            lastGood.put(file, new Version(content, ids));
            lastReloads.put(file, new LastReload(at, true, null));
            LOG.info("Reloaded route file {}: {}", file, ids.isEmpty() ? "no routes" : String.join(", ", ids));
            int index = 1;
            for (String id : ids) {
                EventHelper.notifyRouteReloaded(camel, camel.getRoute(id), index++, ids.size());
            }
        } catch (Exception e) {
            String reason = reason(e, path);
            // Restored before the failure is reported: whoever reads the report finds the previous version running.
            restore(path, file);
            lastReloads.put(file, new LastReload(at, false, reason));
            LOG.error("Route file {} not reloaded, {}: {}", file, lastGood.containsKey(file)
                    ? "its previous version keeps running" : "it has no routes running", reason);
        }
    }

    /**
     * A file that failed while its routes were being replaced (an endpoint or bean that does not
     * resolve) has lost them: its routes that are not the previous version's are removed, and the
     * previous version is loaded again. (Camel 4.17 also removes them when the new version fails to
     * parse.) A file whose routes are all still there and started is left alone.
     */
    private void restore(String path, String file) {
        Version previous = lastGood.getOrDefault(file, new Version(null, Set.of()));
        try {
            List<Route> current = camel.getRoutes().stream().filter(route -> definedIn(route, file)).toList();
            boolean intact = current.size() == previous.routeIds().size() && current.stream().allMatch(route ->
                    previous.routeIds().contains(route.getRouteId())
                            && camel.getRouteController().getRouteStatus(route.getRouteId()) == ServiceStatus.Started);
            if (intact) {
                return;
            }
            removeRoutesOf(file, previous.routeIds());
            if (previous.content() != null) {
                load(path, previous.content());
            }
        } catch (Exception e) {
            LOG.error("Route file {}: its previous version could not be restored either: {}", file, reason(e, path));
        }
    }

    private void removeRoutesOf(String file, Set<String> keep) throws Exception {
        for (Route route : List.copyOf(camel.getRoutes())) {
            if (definedIn(route, file) && !keep.contains(route.getRouteId())) {
                camel.getRouteController().stopRoute(route.getRouteId());
                camel.removeRoute(route.getRouteId());
            }
        }
    }

    private Set<String> load(String path, String content) throws Exception {
        return loader().updateRoutes(List.of(resource(path, content)));
    }

    private RoutesLoader loader() {
        return PluginHelper.getRoutesLoader(camel);
    }

    /** The content as read once, under the file's own location, so routes keep naming their file. */
    private static Resource resource(String path, String content) {
        return ResourceHelper.fromString("file:" + new File(path).getPath(), content);
    }

    /**
     * The innermost message (the actual reason: a YAML error, an unknown key, an unresolved name), on
     * one line, naming the file by its name rather than its full location.
     */
    private static String reason(Throwable error, String path) {
        String message = null;
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        if (message == null) {
            return error.getClass().getSimpleName();
        }
        String text = message.replace(resource(path, "").getLocation(), fileName(path)).replaceAll("\\s+", " ");
        return SafeText.scrub(text.trim());
    }

    private static String fileName(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
