package io.keyhook.credentials.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ClientKeyRepository implements PanacheRepositoryBase<ClientKeyEntity, ClientKeyEntity.Key> {

    public Uni<List<ClientKeyEntity>> ofClients(List<String> clientIds) {
        if (clientIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("clientId in ?1", Sort.by("clientId").and("registeredAt").and("kid"), clientIds);
    }

    /** Removes the rows of kids no longer registered; call under the client's row lock. */
    public Uni<Long> deleteOthers(String clientId, List<String> keep) {
        return keep.isEmpty() ? delete("clientId", clientId)
                : delete("clientId = ?1 and kid not in ?2", clientId, keep);
    }

    /**
     * Inline keys of the Environment's active API clients registered before {@code cutoff}; only those not flagged yet
     * when {@code unflaggedOnly}. Oldest first, at most {@code limit}.
     */
    public Uni<List<ClientKeyEntity>> olderThan(String environmentId, Instant cutoff, boolean unflaggedOnly,
            int limit) {
        return getSession().chain(session -> session.createSelectionQuery(
                "select k from ClientKeyEntity k, ClientEntity c where c.id = k.clientId and c.environmentId = ?1"
                        + " and c.kind = ?2 and c.status = ?3 and c.jwks is not null and k.registeredAt < ?4"
                        + (unflaggedOnly ? " and k.ageFlaggedAt is null" : "") + " order by k.registeredAt, k.kid",
                ClientKeyEntity.class).setParameter(1, environmentId).setParameter(2, ClientEntity.API)
                .setParameter(3, ClientEntity.ACTIVE).setParameter(4, cutoff).setMaxResults(limit).getResultList());
    }

    /** Flags the key as too old, once: emits whether this call flagged it (another replica may have). */
    public Uni<Boolean> flagAge(String clientId, String kid, Instant at) {
        return update("ageFlaggedAt = ?1 where clientId = ?2 and kid = ?3 and ageFlaggedAt is null", at, clientId, kid)
                .map(n -> n == 1);
    }

    /**
     * Flags the keys of the Environment's active jwksUri clients that token-service first saw in use before
     * {@code cutoff} and that are not flagged yet, at most {@code limit}: a row is inserted, dated by that first use
     * (Keyhook cannot know when the customer published the key). Emits {@code [clientId, kid]} of each key this call
     * flagged (a conflicting insert of another replica flags nothing twice).
     */
    public Uni<List<Object[]>> flagRemoteOlderThan(String environmentId, Instant cutoff, Instant at, int limit) {
        return getSession().chain(session -> session
                .createNativeQuery("insert into credentials.client_keys (client_id, kid, registered_at, age_flagged_at)"
                        + " select u.client_id, u.kid, u.first_used_at, :at from credentials.client_key_usage u"
                        + " join credentials.clients c on c.id = u.client_id"
                        + " where c.environment_id = :env and c.kind = 'api' and c.status = 'active'"
                        + " and c.jwks_uri is not null and u.first_used_at < :cutoff"
                        + " and not exists (select 1 from credentials.client_keys k"
                        + " where k.client_id = u.client_id and k.kid = u.kid)"
                        + " order by u.first_used_at limit :limit" + " on conflict do nothing returning client_id, kid",
                        Object[].class)
                .setParameter("at", at).setParameter("env", environmentId).setParameter("cutoff", cutoff)
                .setParameter("limit", limit).getResultList());
    }
}
