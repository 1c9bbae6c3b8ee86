package io.tributary.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser's view of the console over plain HTTP: a cookie jar, forms, and redirects left to the test. */
public final class ConsoleClient {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String baseUrl;
    private final CookieManager cookies;
    private final HttpClient client;
    private final String fetchSite;

    public ConsoleClient(int port) {
        this("http://localhost:" + port, new CookieManager(null, CookiePolicy.ACCEPT_ALL), null);
    }

    private ConsoleClient(String baseUrl, CookieManager cookies, String fetchSite) {
        this.baseUrl = baseUrl;
        this.cookies = cookies;
        this.fetchSite = fetchSite;
        this.client = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A new browser on the console at port, signed in with the workspace's key. */
    public static ConsoleClient signedIn(int port, Api api) {
        ConsoleClient console = new ConsoleClient(port);
        Api.Response signIn = console.signIn(api.apiKey());
        if (signIn.status() != 302) {
            throw new AssertionError("Sign-in failed: " + signIn);
        }
        return console;
    }

    /** The numbers a page's cells hold, top to bottom; cell matches one cell, its group 1 the number. */
    public static List<Integer> numbers(String page, Pattern cell) {
        Matcher cells = cell.matcher(page);
        List<Integer> numbers = new ArrayList<>();
        while (cells.find()) {
            numbers.add(Integer.parseInt(cells.group(1)));
        }
        return numbers;
    }

    /** Where the page's pager button with this label (Older, Newer, Earlier, Later) leads. */
    public static String pagerLink(String page, String label) {
        Matcher link = Pattern.compile("<a class=\"button\" href=\"([^\"]+)\">[^<]*" + label).matcher(page);
        if (!link.find()) {
            throw new AssertionError("No " + label + " link on the page");
        }
        return link.group(1).replace("&amp;", "&");
    }

    /** The same browser (its cookies) talking to another node of the cluster. */
    public ConsoleClient on(int port) {
        return new ConsoleClient("http://localhost:" + port, cookies, fetchSite);
    }

    /**
     * The same browser (its cookies) sending every request with this Sec-Fetch-Site, as a browser does:
     * "cross-site" for a request another site's page started, "same-origin" for the console's own.
     */
    public ConsoleClient fetchSite(String value) {
        return new ConsoleClient(baseUrl, cookies, value);
    }

    /** The session id the session cookie carries (Spring Session writes it base64-encoded), or null. */
    public String sessionId() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("TRIBUTARY_SESSION"))
                .map(c -> new String(Base64.getDecoder().decode(c.getValue()),
                        StandardCharsets.UTF_8))
                .findFirst().orElse(null);
    }

    /** Signs in with the key through the sign-in form; the answer is the form's redirect. */
    public Api.Response signIn(String apiKey) {
        return post("/console/login", Map.of("_csrf", csrf("/console/login"), "api_key", apiKey));
    }

    public Api.Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    /** The CSRF token the forms of a page carry. */
    public String csrf(String page) {
        Api.Response answer = get(page);
        Matcher token = CSRF.matcher(answer.text());
        if (!token.find()) {
            throw new AssertionError("No CSRF field on " + page + ": " + answer);
        }
        return token.group(1);
    }

    /** Submits a form as the page at formPage would (with its CSRF token). */
    public Api.Response submit(String formPage, String action, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("_csrf", csrf(formPage));
        return post(action, form);
    }

    public Api.Response post(String path, Map<String, String> form) {
        String body = form.entrySet().stream().map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)
                + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The page a redirect answer points at. */
    public Api.Response follow(Api.Response redirect) {
        String location = redirect.header("Location");
        if (location == null) {
            throw new AssertionError("Not a redirect: " + redirect);
        }
        return get(location.startsWith("http") ? location.substring(baseUrl.length()) : location);
    }

    private Api.Response send(HttpRequest.Builder request) {
        if (fetchSite != null) {
            request.header("Sec-Fetch-Site", fetchSite);
        }
        try {
            return new Api.Response(client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
