package io.tributary.stripe;

import io.tributary.integration.IntegrationRepository.WithSecrets;
import io.tributary.integration.IntegrationRepository;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Keeps each Stripe endpoint's integration and decrypted secrets for a few seconds, so a delivery
 * costs one database write instead of a read, a decryption and a write. Changes made on this node
 * evict at once; another node's changes are seen within the TTL (a refused delivery is retried by
 * Stripe). Unknown ids are never cached, so probing random ids cannot fill it.
 */
@Component
public class StripeEndpointCache {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(WithSecrets value, long loadedAt) {
    }

    private final IntegrationRepository integrations;
    private final long ttlNanos;
    private final ConcurrentHashMap<UUID, Entry> entries = new ConcurrentHashMap<>();

    public StripeEndpointCache(IntegrationRepository integrations, StripeProperties properties) {
        this.integrations = integrations;
        this.ttlNanos = properties.endpointCacheTtl().toNanos();
    }

    public Optional<WithSecrets> find(UUID id) {
        Entry entry = entries.get(id);
        long now = System.nanoTime();
        if (entry != null && now - entry.loadedAt() < ttlNanos) {
            return Optional.of(entry.value());
        }
        Optional<WithSecrets> loaded = integrations.findWithSecrets(id);
        if (loaded.isPresent() && ttlNanos > 0) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(id, new Entry(loaded.get(), now));
        } else {
            entries.remove(id);
        }
        return loaded;
    }

    public void evict(UUID id) {
        entries.remove(id);
    }
}
