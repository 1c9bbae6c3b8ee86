package io.tributary.hubspot;

import io.tributary.sync.SyncSchedule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class HubSpotConfiguration {

    @Bean
    SyncSchedule hubSpotSyncSchedule(HubSpotProperties properties) {
        return new SyncSchedule(HubSpotRecordMapper.SYSTEM, "hubspot-sync-schedule", properties.cron());
    }
}
