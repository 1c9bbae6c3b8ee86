package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a real loopback server that answers as badly as it is told: nothing, headers and half a
 * body, or a whole answer. The deadline holds in every case, and an abandoned call's connection is closed.
 */
class BoundedHttpClientTest {

    private static final Duration DEADLINE = Duration.ofMillis(300);
    /** How late a timeout may come on a busy machine; far below "for ever". */
    private static final Duration SLACK = Duration.ofSeconds(5);

    private ServerSocket server;
    private final CountDownLatch accepted = new CountDownLatch(1);
    private final CountDownLatch closedByClient = new CountDownLatch(1);
    private final AtomicReference<String> reply = new AtomicReference<>("");

    @BeforeEach
    void startServer() throws IOException {
        server = new ServerSocket(0);
        Thread thread = new Thread(this::serveOne, "bad-server");
        thread.setDaemon(true);
        thread.start();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    /** Accepts one connection, reads the request head, writes the reply, then waits until the client hangs up. */
    private void serveOne() {
        try (Socket socket = server.accept()) {
            accepted.countDown();
            InputStream in = socket.getInputStream();
            readHead(in);
            OutputStream out = socket.getOutputStream();
            out.write(reply.get().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (in.read() >= 0) {
                // nothing more is expected; -1 is the client closing
            }
        } catch (IOException e) {
            // a reset is a close too
        }
        closedByClient.countDown();
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private HttpRequest.Builder request() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/page")).GET();
    }

    @Test
    void aServerThatNeverAnswersTimesOutAtTheDeadline() throws Exception {
        BoundedHttpClient client = new BoundedHttpClient(DEADLINE);
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.send(request())).isInstanceOf(HttpTimeoutException.class)
                .hasMessage("no answer within 300ms");

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(DEADLINE, DEADLINE.plus(SLACK));
        assertThat(closedByClient.await(SLACK.toMillis(), TimeUnit.MILLISECONDS)).as("connection closed").isTrue();
    }

    @Test
    void aBodyThatStallsAfterTheHeadersTimesOutToo() throws Exception {
        // The headers arrive at once: HttpRequest.timeout alone would stop counting here and wait for ever.
        reply.set("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"results\"");
        BoundedHttpClient client = new BoundedHttpClient(DEADLINE);
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.send(request())).isInstanceOf(HttpTimeoutException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(DEADLINE, DEADLINE.plus(SLACK));
        assertThat(closedByClient.await(SLACK.toMillis(), TimeUnit.MILLISECONDS)).as("connection closed").isTrue();
    }

    @Test
    void aWholeAnswerIsReturned() throws Exception {
        reply.set("HTTP/1.1 201 Created\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}");

        var response = new BoundedHttpClient(Duration.ofSeconds(5)).send(request());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("{\"ok\":true}");
    }

    @Test
    void anInterruptedCallerStopsWaitingAndTheCallIsCancelled() throws Exception {
        BoundedHttpClient client = new BoundedHttpClient(Duration.ofMinutes(10));
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            caller.set(Thread.currentThread());
            try {
                client.send(request());
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        assertThat(accepted.await(SLACK.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        caller.get().interrupt();

        assertThat(outcome.get(SLACK.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(closedByClient.await(SLACK.toMillis(), TimeUnit.MILLISECONDS)).as("connection closed").isTrue();
    }

    @Test
    void errorsNameTheDeadlineOrTheKindOfFailureNeverTheirMessage() {
        BoundedHttpClient client = new BoundedHttpClient(Duration.ofSeconds(30));

        assertThat(client.describe(new HttpTimeoutException("x"))).isEqualTo("got no answer within 30s");
        assertThat(client.describe(new ConnectException("http://host/?token=secret")))
                .isEqualTo("failed (ConnectException)");
    }
}
