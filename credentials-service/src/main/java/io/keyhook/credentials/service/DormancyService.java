package io.keyhook.credentials.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.credentials.api.DormantCredentialsResponse;
import io.keyhook.credentials.persistence.ClientEntity;
import io.keyhook.credentials.persistence.KeyUsageRepository;
import io.keyhook.credentials.persistence.SecretEntity;
import io.keyhook.credentials.persistence.SecretRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Finds credentials nobody uses: a secret (or a private_key_jwt key) that got no token for a long time is an attack
 * surface with no benefit, and the first candidate for invalidation. Reads {@code lastUsedAt}, which token-service
 * reports (every 30 s by default).
 */
@ApplicationScoped
public class DormancyService {

    private final SecretRepository secrets;
    private final KeyUsageRepository keys;
    private final EnvironmentService environments;

    @Inject
    DormancyService(SecretRepository secrets, KeyUsageRepository keys, EnvironmentService environments) {
        this.secrets = secrets;
        this.keys = keys;
        this.environments = environments;
    }

    /** A secret or a key, with the time it counts as unused from (the merge order). */
    private record Dormant(Instant since, DormantCredentialsResponse.Item item) {
    }

    @WithSession
    public Uni<DormantCredentialsResponse> report(String environmentId, int unusedForDays, int limit) {
        Instant now = Instant.now();
        Instant cutoff = now.minus(Duration.ofDays(unusedForDays));
        return environments.find(environmentId).chain(e -> secrets.dormant(environmentId, cutoff, limit + 1))
                .chain(rows -> keys.dormant(environmentId, cutoff, limit + 1).map(keyRows -> {
                    List<Dormant> all = new ArrayList<>();
                    for (Object[] r : rows) {
                        SecretEntity s = (SecretEntity) r[0];
                        ClientEntity c = (ClientEntity) r[1];
                        Instant since = s.lastUsedAt != null ? s.lastUsedAt : s.createdAt;
                        all.add(new Dormant(since, new DormantCredentialsResponse.Item(c.id, c.name, s.id, null,
                                s.createdAt, s.lastUsedAt, Duration.between(since, now).toDays())));
                    }
                    for (KeyUsageRepository.DormantKey k : keyRows) {
                        all.add(new Dormant(k.since(),
                                new DormantCredentialsResponse.Item(k.clientId(), k.clientName(), null, k.kid(),
                                        k.registeredAt(), k.lastUsedAt(), Duration.between(k.since(), now).toDays())));
                    }
                    all.sort(Comparator.comparing(Dormant::since));
                    List<DormantCredentialsResponse.Item> items = all.stream().limit(limit).map(Dormant::item).toList();
                    return new DormantCredentialsResponse(unusedForDays, now, items, all.size() > limit);
                }));
    }
}
