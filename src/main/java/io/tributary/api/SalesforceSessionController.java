package io.tributary.api;

import io.tributary.salesforce.SalesforceSessionBroker;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The login endpoint of this node's own camel-salesforce components: loopback only, and only for
 * the random secret this process gave them. Anyone else gets Salesforce's own refusal shape.
 */
@RestController
public class SalesforceSessionController {

    private final SalesforceSessionBroker broker;

    public SalesforceSessionController(SalesforceSessionBroker broker) {
        this.broker = broker;
    }

    @PostMapping(path = SalesforceSessionBroker.PATH + "{integrationId}/{component}/services/oauth2/token",
            consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Map<String, Object>> token(@PathVariable UUID integrationId, @PathVariable String component,
                                              @RequestParam(name = "client_secret", required = false) String secret,
                                              HttpServletRequest request) {
        if (!loopback(request.getRemoteAddr())) {
            return refused();
        }
        return broker.session(integrationId, component, secret).map(ResponseEntity::ok).orElseGet(SalesforceSessionController::refused);
    }

    private static ResponseEntity<Map<String, Object>> refused() {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST)
                .body(Map.of("error", "invalid_grant", "error_description", "authentication failure"));
    }

    private static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
