package io.keyhook.credentials.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class SecretRepository implements PanacheRepositoryBase<SecretEntity, String> {

    public Uni<List<SecretEntity>> ofClient(String clientId) {
        return list("clientId", Sort.by("createdAt").and("id"), clientId);
    }

    public Uni<Long> countActive(String clientId) {
        return count("clientId = ?1 and status = ?2", clientId, SecretEntity.ACTIVE);
    }

    /** The secret, row-locked: leasing and invalidating both take this lock, so they never interleave. */
    public Uni<SecretEntity> lockedOfClient(String clientId, String secretId) {
        return find("id = ?1 and clientId = ?2", secretId, clientId).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    /** Several secrets row-locked in id order (a fixed order avoids deadlocks between leasers). */
    public Uni<List<SecretEntity>> lockedByIds(List<String> ids) {
        return find("id in ?1", Sort.by("id"), ids).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /** Moves lastUsedAt forward (never back); returns 1 if it moved. */
    public Uni<Integer> markUsed(String secretId, Instant at) {
        return update("lastUsedAt = ?1 where id = ?2 and (lastUsedAt is null or lastUsedAt < ?1)", at, secretId);
    }

    /**
     * Secrets of one cipher (by ciphertext prefix) still on a key version older than {@code version}, row-locked in id
     * order (as disabling a client locks them): an invalidation waits for the rewrap, and the rewrap never writes back
     * a status it read before an invalidation committed.
     */
    public Uni<List<SecretEntity>> olderThanKeyVersion(String prefix, int version, int limit) {
        return find("ciphertext like ?1 and keyVersion < ?2", Sort.by("id"), prefix + "%", version).page(0, limit)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /**
     * Active secrets of the Environment's active API clients not used since {@code cutoff} (never used: created before
     * it), oldest use first, at most {@code limit}: each row is {@code [SecretEntity, ClientEntity]}.
     */
    public Uni<List<Object[]>> dormant(String environmentId, Instant cutoff, int limit) {
        return getSession().chain(session -> session.createSelectionQuery(
                "select s, c from SecretEntity s, ClientEntity c where c.id = s.clientId and c.environmentId = ?1"
                        + " and c.kind = ?2 and c.status = ?3 and s.status = ?3"
                        + " and coalesce(s.lastUsedAt, s.createdAt) < ?4"
                        + " order by coalesce(s.lastUsedAt, s.createdAt), s.id",
                Object[].class).setParameter(1, environmentId).setParameter(2, ClientEntity.API)
                .setParameter(3, SecretEntity.ACTIVE).setParameter(4, cutoff).setMaxResults(limit).getResultList());
    }

    /**
     * Active secrets of the Environment's active API clients created before {@code cutoff}; only those not flagged yet
     * when {@code unflaggedOnly}. Oldest first, at most {@code limit}.
     */
    public Uni<List<SecretEntity>> olderThan(String environmentId, Instant cutoff, boolean unflaggedOnly, int limit) {
        return getSession().chain(session -> session
                .createSelectionQuery(
                        "select s from SecretEntity s, ClientEntity c where c.id = s.clientId and c.environmentId = ?1"
                                + " and c.kind = ?2 and c.status = ?3 and s.status = ?3 and s.createdAt < ?4"
                                + (unflaggedOnly ? " and s.ageFlaggedAt is null" : "") + " order by s.createdAt, s.id",
                        SecretEntity.class)
                .setParameter(1, environmentId).setParameter(2, ClientEntity.API).setParameter(3, SecretEntity.ACTIVE)
                .setParameter(4, cutoff).setMaxResults(limit).getResultList());
    }

    /** Flags the secret as too old, once: emits whether this call flagged it (another replica may have). */
    public Uni<Boolean> flagAge(String secretId, Instant at) {
        return update("ageFlaggedAt = ?1 where id = ?2 and ageFlaggedAt is null", at, secretId).map(n -> n == 1);
    }
}
