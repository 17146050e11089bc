package io.keyhook.credentials.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.core.error.ProblemException;
import io.keyhook.credentials.api.ClientCreateRequest;
import io.keyhook.credentials.api.ClientPatchRequest;
import io.keyhook.credentials.api.ClientResponse;
import io.keyhook.credentials.config.CredentialsConfig;
import io.keyhook.credentials.persistence.ClientEntity;
import io.keyhook.credentials.persistence.ClientRepository;
import io.keyhook.credentials.persistence.LeaseRepository;
import io.keyhook.credentials.persistence.SecretEntity;
import io.keyhook.credentials.persistence.SecretRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** API clients of an Environment ("Apps and Integrations"). */
@ApplicationScoped
public class ClientService {

    @Inject
    ClientRepository clients;

    @Inject
    SecretRepository secrets;

    @Inject
    LeaseRepository leases;

    @Inject
    EnvironmentService environments;

    @Inject
    ClientLookup lookup;

    @Inject
    SecretFactory factory;

    @Inject
    AuditTrail audit;

    @Inject
    CredentialsConfig config;

    @Inject
    ClientScopes scopes;

    @WithSession
    public Uni<List<ClientResponse>> list(String environmentId) {
        return environments.find(environmentId).chain(e -> clients.apiClients(environmentId))
                .map(all -> all.stream().map(c -> Mapping.client(c, null)).toList());
    }

    @WithSession
    public Uni<ClientResponse> get(String environmentId, String clientId) {
        return lookup.find(ClientRef.api(environmentId, clientId), false).map(c -> Mapping.client(c, null));
    }

    /** Creates the client with its first secret; the response is the only place the value appears. */
    public Uni<ClientResponse> create(String environmentId, ClientCreateRequest req) {
        var target = new AuditTrail.Target("client.create", environmentId, "client", null);
        return audit
                .refusalsOf(target,
                        factory.create(environmentId)
                                .chain(fresh -> Panache.withTransaction(() -> environments.find(environmentId)
                                        .chain(e -> scopes.checked(e, req.scopes()))
                                        .chain(allowed -> insert(environmentId, req, allowed, fresh, target)))));
    }

    private Uni<ClientResponse> insert(String environmentId, ClientCreateRequest req, List<String> allowed,
            NewSecret fresh, AuditTrail.Target target) {
        return clients.countApiClients(environmentId).chain(count -> {
            if (count >= config.maxClientsPerEnvironment()) {
                return Uni.createFrom().failure(ProblemException.conflict("too_many_clients",
                        "Environment '" + environmentId + "' already has " + count + " clients, the most allowed"));
            }
            Instant now = Instant.now();
            ClientEntity c = new ClientEntity();
            c.id = SecretGenerator.newId("cl_");
            c.kind = ClientEntity.API;
            c.environmentId = environmentId;
            c.name = req.name().strip();
            c.description = req.description();
            c.scopes = allowed;
            c.tokenLifetimeSeconds = req.tokenLifetimeSeconds();
            c.status = ClientEntity.ACTIVE;
            c.createdAt = now;
            c.updatedAt = now;
            SecretEntity s = fresh.toEntity(c.id, now);
            return clients.persist(c).call(() -> secrets.persist(s)).call(() -> lookup.publish(c))
                    .call(() -> audit.success(target, c.id, "name " + c.name + ", secret " + s.id + tokenSettings(c)))
                    .map(x -> Mapping.client(c, Mapping.created(s, fresh.value())));
        });
    }

    /** Changes what the request names under the client's row lock, so two PATCHes apply one after the other. */
    public Uni<ClientResponse> patch(String environmentId, String clientId, ClientPatchRequest req) {
        var target = new AuditTrail.Target("client.update", environmentId, "client", clientId);
        return audit.refusalsOf(target,
                Panache.withTransaction(() -> lookup.find(ClientRef.api(environmentId, clientId), true)
                        .chain(c -> checkedScopes(environmentId, req.scopes()).chain(allowed -> {
                            if (req.name() != null) {
                                c.name = req.name().strip();
                            }
                            if (req.description() != null) {
                                c.description = req.description();
                            }
                            if (allowed != null) {
                                c.scopes = allowed;
                            }
                            if (req.tokenLifetimeSeconds() != null) {
                                c.tokenLifetimeSeconds = req.tokenLifetimeSeconds();
                            }
                            c.updatedAt = Instant.now();
                            return lookup.publish(c)
                                    .call(() -> audit.success(target, c.id, "name " + c.name + tokenSettings(c)))
                                    .map(x -> Mapping.client(c, null));
                        }))));
    }

    /** A PATCH's scopes checked against the Environment's Configuration; null (unchanged) without reading it. */
    private Uni<List<String>> checkedScopes(String environmentId, List<String> requested) {
        if (requested == null) {
            return Uni.createFrom().nullItem();
        }
        return environments.find(environmentId).chain(e -> scopes.checked(e, requested));
    }

    /** The client's scopes and token lifetime for the audit detail; nothing when both are the defaults. */
    static String tokenSettings(ClientEntity c) {
        return (c.scopes == null ? "" : ", scopes " + String.join(" ", c.scopes))
                + (c.tokenLifetimeSeconds == null ? "" : ", token lifetime " + c.tokenLifetimeSeconds + "s");
    }

    /**
     * Disables the client: none of its secrets issue tokens any more. Refused while a webhook uses one of its secrets,
     * for the same reason invalidating that secret is. Idempotent.
     */
    public Uni<ClientResponse> disable(String environmentId, String clientId) {
        var target = new AuditTrail.Target("client.disable", environmentId, "client", clientId);
        return audit.refusalsOf(target,
                Panache.withTransaction(() -> lookup.find(ClientRef.api(environmentId, clientId), true)
                        .chain(c -> disableLocked(c, target)).map(c -> Mapping.client(c, null))));
    }

    /** Disables a row-locked client; shared with admin clients. */
    Uni<ClientEntity> disableLocked(ClientEntity c, AuditTrail.Target target) {
        if (!c.isActive()) {
            return Uni.createFrom().item(c);
        }
        // lock the secrets too: leasing locks them, so a lease cannot slip in between check and disable
        return secrets.ofClient(c.id).chain(all -> secrets.lockedByIds(all.stream().map(s -> s.id).toList()))
                .chain(locked -> leases.ofSecrets(locked.stream().map(s -> s.id).toList())).chain(held -> {
                    if (!held.isEmpty()) {
                        List<String> webhooks = held.stream().map(l -> l.webhookId).distinct().toList();
                        return Uni.createFrom().failure(ProblemException.conflict("client_in_use",
                                "Client '" + c.id + "' has secrets used by webhook(s) " + String.join(", ", webhooks)
                                        + "; remove them from the webhooks before disabling the client")
                                .with("webhookIds", webhooks));
                    }
                    Instant now = Instant.now();
                    c.status = ClientEntity.DISABLED;
                    c.disabledAt = now;
                    c.updatedAt = now;
                    return lookup.publish(c).call(() -> audit.success(target, c.id, null)).replaceWith(c);
                });
    }
}
