package io.tributary.salesforce;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Which login host an OAuth connect goes to: production, sandbox, or the org's My Domain. A custom
 * domain must be a plain https host under one of the allowed suffixes, so a connect can never send
 * codes, secrets or tokens to an address someone typed in (an IP, localhost, another site).
 */
@Component
public class SalesforceLoginHosts {

    private final SalesforceProperties properties;

    public SalesforceLoginHosts(SalesforceProperties properties) {
        this.properties = properties;
    }

    /** The login URL, or empty with the environment/domain refused. */
    public Optional<String> loginUrl(String environment, String domain) {
        return switch (environment == null ? "production" : environment) {
            case "production" -> Optional.of(properties.productionLoginUrl());
            case "sandbox" -> Optional.of(properties.sandboxLoginUrl());
            case "custom" -> customDomain(domain);
            default -> Optional.empty();
        };
    }

    private Optional<String> customDomain(String domain) {
        if (domain == null || domain.isBlank() || domain.length() > 253) {
            return Optional.empty();
        }
        String candidate = domain.strip().toLowerCase(Locale.ROOT);
        URI uri;
        try {
            uri = new URI(candidate.contains("://") ? candidate : "https://" + candidate);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String host = uri.getHost();
        boolean plainHost = "https".equals(uri.getScheme()) && host != null && uri.getPort() == -1
                && uri.getRawUserInfo() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty()
                || uri.getRawPath().equals("/")) && uri.getRawQuery() == null && uri.getRawFragment() == null
                && host.matches("[a-z0-9.-]+");
        if (!plainHost) {
            return Optional.empty();
        }
        return properties.allowedDomainSuffixes().stream()
                .filter(suffix -> host.endsWith(suffix) && host.length() > suffix.length()
                        && !host.substring(0, host.length() - suffix.length()).endsWith("."))
                .findFirst()
                .map(suffix -> "https://" + host);
    }
}
