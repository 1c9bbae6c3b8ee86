package io.tributary.health;

import io.tributary.integration.Integration;
import io.tributary.sync.SyncRunRepository;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/** The health of integrations as the API shows it: one query for a whole page of them. */
@Service
public class IntegrationHealthService {

    private final SyncRunRepository runs;

    public IntegrationHealthService(SyncRunRepository runs) {
        this.runs = runs;
    }

    public IntegrationHealth of(Integration integration) {
        return of(List.of(integration)).get(integration.id());
    }

    public Map<UUID, IntegrationHealth> of(List<Integration> integrations) {
        Map<UUID, List<SyncRunRepository.Run>> latest = runs.latestFinished(
                        integrations.stream().map(Integration::id).toList()).stream()
                .collect(Collectors.groupingBy(SyncRunRepository.Run::integrationId));
        return integrations.stream().collect(Collectors.toMap(Integration::id,
                integration -> IntegrationHealth.of(integration, latest.getOrDefault(integration.id(), List.of()))));
    }
}
