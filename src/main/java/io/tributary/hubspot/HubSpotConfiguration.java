package io.tributary.hubspot;

import io.tributary.integration.Integration;
import io.tributary.sync.Disconnections;
import io.tributary.sync.SyncSchedule;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class HubSpotConfiguration {

    /** A disconnect revokes the portal's refresh token at HubSpot, best effort. */
    @Bean
    Disconnections.Revoker hubSpotRevoker(HubSpotOAuthClient oauth) {
        return new Disconnections.Revoker() {
            @Override
            public String provider() {
                return HubSpotRecordMapper.SYSTEM;
            }

            @Override
            public void revoke(Integration integration, Map<String, String> secrets) {
                if (!secrets.isEmpty()) {
                    oauth.revoke(HubSpotTokens.fromSecrets(secrets).refreshToken());
                }
            }
        };
    }

    @Bean
    SyncSchedule hubSpotSyncSchedule(HubSpotProperties properties) {
        return new SyncSchedule(HubSpotRecordMapper.SYSTEM, "hubspot-sync-schedule", properties.cron());
    }
}
