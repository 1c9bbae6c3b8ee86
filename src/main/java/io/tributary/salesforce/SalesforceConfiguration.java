package io.tributary.salesforce;

import io.tributary.integration.Integration;
import io.tributary.sync.Disconnections;
import io.tributary.sync.SyncSchedule;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class SalesforceConfiguration {

    /** A disconnect revokes the org's refresh token (best effort) and drops its component. */
    @Bean
    Disconnections.Revoker salesforceRevoker(SalesforceOAuthClient oauth, SalesforceComponents components) {
        return new Disconnections.Revoker() {
            @Override
            public String provider() {
                return SalesforceRecordMapper.SYSTEM;
            }

            @Override
            public void revoke(Integration integration, Map<String, String> secrets) {
                components.discard(integration.id());
                if (!secrets.isEmpty()) {
                    oauth.revoke(SalesforceTokens.fromSecrets(secrets));
                }
            }
        };
    }

    @Bean
    SyncSchedule salesforceSyncSchedule(SalesforceProperties properties) {
        return new SyncSchedule(SalesforceRecordMapper.SYSTEM, "salesforce-sync-schedule", properties.cron());
    }
}
