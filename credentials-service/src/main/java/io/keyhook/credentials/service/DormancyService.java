package io.keyhook.credentials.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.credentials.api.DormantCredentialsResponse;
import io.keyhook.credentials.persistence.ClientEntity;
import io.keyhook.credentials.persistence.SecretEntity;
import io.keyhook.credentials.persistence.SecretRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Finds credentials nobody uses: a secret that got no token for a long time is an attack surface with no benefit, and
 * the first candidate for invalidation. Reads {@code lastUsedAt}, which token-service reports (every 30 s by default).
 */
@ApplicationScoped
public class DormancyService {

    private final SecretRepository secrets;
    private final EnvironmentService environments;

    @Inject
    DormancyService(SecretRepository secrets, EnvironmentService environments) {
        this.secrets = secrets;
        this.environments = environments;
    }

    @WithSession
    public Uni<DormantCredentialsResponse> report(String environmentId, int unusedForDays, int limit) {
        Instant now = Instant.now();
        Instant cutoff = now.minus(Duration.ofDays(unusedForDays));
        return environments.find(environmentId).chain(e -> secrets.dormant(environmentId, cutoff, limit + 1))
                .map(rows -> {
                    List<DormantCredentialsResponse.Item> items = rows.stream().limit(limit).map(r -> {
                        SecretEntity s = (SecretEntity) r[0];
                        ClientEntity c = (ClientEntity) r[1];
                        Instant since = s.lastUsedAt != null ? s.lastUsedAt : s.createdAt;
                        return new DormantCredentialsResponse.Item(c.id, c.name, s.id, s.createdAt, s.lastUsedAt,
                                Duration.between(since, now).toDays());
                    }).toList();
                    return new DormantCredentialsResponse(unusedForDays, now, items, rows.size() > limit);
                });
    }
}
