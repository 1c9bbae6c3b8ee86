package io.tributary.api;

import java.net.URI;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/** Where OAuth connects end: a 302 to the console with the outcome as query parameters. */
@Component
class ConsoleRedirects {

    private final String consoleUrl;

    ConsoleRedirects(@Value("${tributary.console-url}") String consoleUrl) {
        this.consoleUrl = consoleUrl;
    }

    ResponseEntity<Void> to(Map<String, String> parameters) {
        UriComponentsBuilder target = UriComponentsBuilder.fromUriString(consoleUrl);
        parameters.forEach(target::queryParam);
        return ResponseEntity.status(HttpStatus.FOUND).location(target.encode().build().toUri()).build();
    }

    /** The connect's first answer: a 302 to the provider, or with Accept: application/json, the URL. */
    static ResponseEntity<Map<String, Object>> authorize(String authorizeUrl, String accept) {
        if (accept != null && accept.contains("application/json")) {
            return ResponseEntity.ok(Map.of("authorize_url", authorizeUrl));
        }
        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(authorizeUrl)).build();
    }
}
