package io.tributary.ingest;

import java.time.Instant;

/** A system records can be pushed for: built in, or registered by the workspace. */
public record Source(String key, String displayName, boolean builtIn, Instant createdAt) {
}
