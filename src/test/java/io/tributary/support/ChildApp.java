package io.tributary.support;

import io.tributary.TributaryApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The app in a JVM of its own, started from the test classpath as `java -jar` would run it: what a
 * crash test kills with SIGKILL, and what a benchmark measures with its own heap limit.
 */
public final class ChildApp implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ChildApp(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the app with these JVM options, environment and arguments; returns once it answers health checks. */
    public static ChildApp start(List<String> jvmOptions, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(TributaryApplication.class.getName());
        command.add("--server.port=" + port);
        command.addAll(TestSchedules.argumentsBesides(args));
        command.addAll(List.of(args));
        Files.createDirectories(Path.of("target"));
        Path log = Files.createTempFile(Path.of("target"), "child-app-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        ChildApp app = new ChildApp(builder.start(), port, log);
        app.awaitHealthy(Duration.ofSeconds(90));
        return app;
    }

    /** The file the app's stdout and stderr go to. */
    public Path log() {
        return log;
    }

    /** An environment holding a new random master key: what nodes sharing one database must all be given. */
    public static Map<String, String> newMasterKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return Map.of("TRIBUTARY_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(key));
    }

    public int port() {
        return port;
    }

    public Api api(String key) {
        return new Api(port, key);
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, as an orchestrator stops a node: a graceful shutdown. True when it exited within the wait. */
    public boolean terminate(Duration wait) throws InterruptedException {
        process.destroy();
        return process.waitFor(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** What the app has logged so far. */
    public String logText() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL: no shutdown hook, no graceful anything — a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            kill();
        }
    }

    private void awaitHealthy(Duration timeout) throws InterruptedException, IOException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The app exited while starting; see " + log);
            }
            try {
                HttpResponse<Void> health = client.send(HttpRequest.newBuilder(
                                java.net.URI.create("http://localhost:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException("The app did not become healthy in " + timeout + "; see " + log);
    }

    /** A port free right now, for an app about to start. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
