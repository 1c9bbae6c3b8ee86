package io.tributary.workspace;

import java.util.UUID;

/** The tenant a request acts for; resolved from its API key. */
public record Workspace(UUID id, String name) {
}
