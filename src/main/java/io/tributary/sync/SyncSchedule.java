package io.tributary.sync;

/** A provider whose integrations sync on a schedule: the route template to instantiate, and the default cron. */
public record SyncSchedule(String provider, String routeTemplateId, String defaultCron) {
}
