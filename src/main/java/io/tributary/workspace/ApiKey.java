package io.tributary.workspace;

import java.time.Instant;
import java.util.UUID;

/** A stored API key as it may be shown: never the key, never its hash. */
public record ApiKey(UUID id, String name, String prefix, Instant createdAt) {
}
