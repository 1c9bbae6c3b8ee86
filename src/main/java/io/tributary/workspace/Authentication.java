package io.tributary.workspace;

import java.util.UUID;

/** Who a request's API key speaks for, and which of the workspace's keys it was. */
public record Authentication(Workspace workspace, UUID apiKeyId) {
}
