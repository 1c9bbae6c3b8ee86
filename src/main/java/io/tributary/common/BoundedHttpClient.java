package io.tributary.common;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An HTTP client whose every call has a deadline for the whole answer, body included: the JDK's
 * HttpRequest.timeout ends only the wait for the response headers, so a server that sends them and
 * then stalls the body would hold the caller for ever. A call past its deadline, or whose caller
 * is interrupted, is cancelled (which closes its connection).
 */
public final class BoundedHttpClient {

    private final HttpClient http;
    private final Duration deadline;

    public BoundedHttpClient(Duration deadline) {
        this.deadline = deadline;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(deadline).build();
    }

    public Duration deadline() {
        return deadline;
    }

    /** The whole answer within the deadline; HttpTimeoutException when it did not come in time. */
    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request.timeout(deadline).build(),
                HttpResponse.BodyHandlers.ofString());
        try {
            return answer.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("no answer within " + Durations.text(deadline));
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }

    /**
     * What went wrong, for an error message: "got no answer within 30s", or "failed (ConnectException)".
     * Never the exception's own message, which may hold a URL with a token in it.
     */
    public String describe(IOException failure) {
        return failure instanceof HttpTimeoutException ? "got no answer within " + Durations.text(deadline)
                : "failed (" + failure.getClass().getSimpleName() + ")";
    }
}
