package io.tributary.support;

import io.tributary.TributaryApplication;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the app in this JVM as `java -jar` would, with extra command-line arguments; close() stops it. */
public final class RunningApp implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private RunningApp(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static RunningApp start(String... args) {
        // Quartz registers its scheduler and data source JVM-wide by scheduler name: a second app in
        // this JVM needs a name of its own, or it takes over (and on close, breaks) the first one's.
        List<String> all = new ArrayList<>(List.of("--server.port=0",
                "--spring.quartz.properties.org.quartz.scheduler.instanceName=tributary-" + System.nanoTime()));
        all.addAll(TestSchedules.argumentsBesides(args));
        all.addAll(List.of(args));
        return new RunningApp(new SpringApplicationBuilder(TributaryApplication.class).run(all.toArray(String[]::new)));
    }

    public int port() {
        return ((ServletWebServerApplicationContext) context).getWebServer().getPort();
    }

    public Api api(String key) {
        return new Api(port(), key);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
