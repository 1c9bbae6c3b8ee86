package io.tributary.api;

import io.tributary.routes.RouteFileReloader;
import io.tributary.routes.RouteFileReloader.LastReload;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /admin/v1/routes: each route file, the routes it runs and how its latest reload went. Routes
 * are the node's, shared by every workspace, so this is the operator's (admin token), not a workspace's.
 */
@RestController
public class RoutesController {

    /** One file of routes/; lastReload is null until the file is edited while the app runs. */
    public record RouteFile(String file, List<RouteState> routes, LastReload lastReload) {
    }

    public record RouteState(String id, String status) {
    }

    private final CamelContext camel;
    private final RouteFileReloader reloader;
    private final AdminToken adminToken;

    public RoutesController(CamelContext camel, RouteFileReloader reloader, AdminToken adminToken) {
        this.camel = camel;
        this.reloader = reloader;
        this.adminToken = adminToken;
    }

    @GetMapping("/admin/v1/routes")
    ListPage<RouteFile> list(HttpServletRequest request) {
        adminToken.require(request);
        Map<String, List<RouteState>> byFile = new TreeMap<>();
        camel.getRoutes().stream().sorted(Comparator.comparing(Route::getRouteId)).forEach(route -> {
            String file = RouteFileReloader.fileOf(route);
            ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
            // No status: a reload removed the route while this list was made.
            if (file != null && status != null) {
                byFile.computeIfAbsent(file, f -> new ArrayList<>()).add(new RouteState(route.getRouteId(),
                        status.name().toLowerCase(Locale.ROOT)));
            }
        });
        reloader.files().forEach(file -> byFile.putIfAbsent(file, List.of()));
        List<RouteFile> items = byFile.entrySet().stream().map(entry -> new RouteFile(entry.getKey(), entry.getValue(),
                reloader.lastReload(entry.getKey()).orElse(null))).toList();
        return new ListPage<>(items, null);
    }
}
