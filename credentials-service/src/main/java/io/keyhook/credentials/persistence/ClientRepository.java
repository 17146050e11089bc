package io.keyhook.credentials.persistence;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ClientRepository implements PanacheRepositoryBase<ClientEntity, String> {

    public Uni<List<ClientEntity>> apiClients(String environmentId) {
        return list("kind = ?1 and environmentId = ?2", Sort.by("createdAt").and("id"), ClientEntity.API,
                environmentId);
    }

    public Uni<Long> countApiClients(String environmentId) {
        return count("kind = ?1 and environmentId = ?2", ClientEntity.API, environmentId);
    }

    public Uni<List<ClientEntity>> adminClients() {
        return list("kind", Sort.by("createdAt").and("id"), ClientEntity.ADMIN);
    }

    /** The API client of an Environment, or null: a client of another Environment is not found. */
    public Uni<ClientEntity> apiClient(String environmentId, String clientId, boolean lock) {
        var q = find("id = ?1 and kind = ?2 and environmentId = ?3", clientId, ClientEntity.API, environmentId);
        return (lock ? q.withLock(LockModeType.PESSIMISTIC_WRITE) : q).firstResult();
    }

    public Uni<ClientEntity> adminClient(String clientId, boolean lock) {
        var q = find("id = ?1 and kind = ?2", clientId, ClientEntity.ADMIN);
        return (lock ? q.withLock(LockModeType.PESSIMISTIC_WRITE) : q).firstResult();
    }
}
