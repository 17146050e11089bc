package io.keyhook.credentials.persistence;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class KeyRotationRepository implements PanacheRepositoryBase<KeyRotationEntity, String> {

    /** The client's rotations, newest first. */
    public Uni<List<KeyRotationEntity>> ofClient(String clientId) {
        return list("clientId", Sort.descending("startedAt").and("id", Sort.Direction.Descending), clientId);
    }

    public Uni<KeyRotationEntity> ofClient(String clientId, String rotationId) {
        return find("id = ?1 and clientId = ?2", rotationId, clientId).firstResult();
    }

    public Uni<KeyRotationEntity> openOf(String clientId) {
        return find("clientId = ?1 and status = ?2", clientId, KeyRotationEntity.OPEN).firstResult();
    }
}
