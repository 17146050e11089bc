package io.keyhook.credentials.persistence;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class LeaseRepository implements PanacheRepositoryBase<LeaseEntity, LeaseEntity.Key> {

    public Uni<List<LeaseEntity>> ofSecrets(List<String> secretIds) {
        if (secretIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("secretId in ?1", Sort.by("webhookId"), secretIds);
    }

    public Uni<List<LeaseEntity>> ofWebhook(String webhookId) {
        return list("webhookId", Sort.by("secretId"), webhookId);
    }

    public Uni<Long> releaseAll(String webhookId) {
        return delete("webhookId", webhookId);
    }
}
