package io.tributary.integration;

import java.util.UUID;

/** Published after an integration is connected, reconnected, paused or disconnected, so schedules follow. */
public record IntegrationStatusChanged(UUID integrationId) {
}
