package io.tributary.integration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/** A connected instance of a provider, as the API shows it: never with a secret. */
public record Integration(UUID id, @JsonIgnore UUID workspaceId, String provider, String name, String status,
                          @JsonRawValue String config, Instant createdAt, Instant connectedAt,
                          Instant disconnectedAt) {

    public static final String CONNECTED = "connected";
    public static final String DISCONNECTED = "disconnected";
    public static final String REAUTH_REQUIRED = "reauth_required";

    public boolean isConnected() {
        return CONNECTED.equals(status);
    }
}
