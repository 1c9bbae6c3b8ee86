package io.tributary.integration;

import java.util.UUID;

/** Published after an integration's sync schedule (config.cron) was changed. */
public record IntegrationScheduleChanged(UUID integrationId) {
}
