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
import io.keyhook.credentials.persistence.ClientKeyEntity;
import io.keyhook.credentials.persistence.ClientKeyRepository;
import io.keyhook.credentials.persistence.ClientRepository;
import io.keyhook.credentials.persistence.KeyUsageRepository;
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
    KeySources keySources;

    @Inject
    KeyUsageRepository keyUsage;

    @Inject
    ClientScopes scopes;

    @Inject
    ClientKeys clientKeys;

    @Inject
    ClientKeyRepository keyTimes;

    @WithSession
    public Uni<List<ClientResponse>> list(String environmentId) {
        return environments.find(environmentId).chain(e -> clients.apiClients(environmentId))
                .chain(all -> usageOf(all).chain(usage -> timesOf(all)
                        .map(times -> all.stream().map(c -> Mapping.client(c, usage, times, null)).toList())));
    }

    @WithSession
    public Uni<ClientResponse> get(String environmentId, String clientId) {
        return lookup.find(ClientRef.api(environmentId, clientId), false).chain(this::withKeys);
    }

    /** Creates the client; a client_secret client with its first secret, which the response is the only place of. */
    public Uni<ClientResponse> create(String environmentId, ClientCreateRequest req) {
        var target = new AuditTrail.Target("client.create", environmentId, "client", null);
        return audit.refusalsOf(target,
                keySources.forCreate(req.authMethod(), req.jwks(), req.jwksUri())
                        .chain(keys -> keys == null ? createWithSecret(environmentId, req, target)
                                : createWithKeys(environmentId, req, keys, target)));
    }

    private Uni<ClientResponse> createWithSecret(String environmentId, ClientCreateRequest req,
            AuditTrail.Target target) {
        return factory.create(environmentId)
                .chain(fresh -> Panache.withTransaction(() -> newClient(environmentId, req).chain(c -> {
                    SecretEntity s = fresh.toEntity(c.id, c.createdAt);
                    return clients.persist(c).call(() -> secrets.persist(s)).call(() -> lookup.publish(c)).call(
                            () -> audit.success(target, c.id, "name " + c.name + ", secret " + s.id + tokenSettings(c)))
                            .map(x -> Mapping.client(c, Mapping.created(s, fresh.value())));
                })));
    }

    /** A private_key_jwt client: no secret at all, its registered public keys instead. */
    private Uni<ClientResponse> createWithKeys(String environmentId, ClientCreateRequest req, KeySource keys,
            AuditTrail.Target target) {
        return Panache.withTransaction(() -> newClient(environmentId, req).chain(c -> {
            keys.applyTo(c);
            return clients.persist(c).chain(() -> clientKeys.sync(c, c.createdAt)).call(() -> lookup.publish(c))
                    .call(() -> audit.success(target, c.id,
                            "name " + c.name + ", private_key_jwt, " + keys.describe() + tokenSettings(c)))
                    .map(times -> Mapping.client(c, List.of(), times, null));
        }));
    }

    /**
     * A new active client of the Environment with its checked scopes, not yet persisted; refused when the Environment
     * has the most.
     */
    private Uni<ClientEntity> newClient(String environmentId, ClientCreateRequest req) {
        return environments.find(environmentId).chain(e -> scopes.checked(e, req.scopes()))
                .chain(allowed -> clients.countApiClients(environmentId).map(count -> {
                    if (count >= config.maxClientsPerEnvironment()) {
                        throw ProblemException.conflict("too_many_clients", "Environment '" + environmentId
                                + "' already has " + count + " clients, the most allowed");
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
                    return c;
                }));
    }

    /**
     * Renames, describes, or replaces a private_key_jwt client's keys, under the client's row lock (as every client
     * change). The new keys are checked before the lock is taken; the method itself never changes.
     */
    public Uni<ClientResponse> patch(String environmentId, String clientId, ClientPatchRequest req) {
        var target = new AuditTrail.Target("client.update", environmentId, "client", clientId);
        return audit.refusalsOf(target,
                keySources.forPatch(req.jwks(), req.jwksUri()).chain(
                        keys -> Panache.withTransaction(() -> lookup.find(ClientRef.api(environmentId, clientId), true)
                                .chain(c -> checkedScopes(environmentId, req.scopes()).map(allowed -> {
                                    if (req.authMethod() != null && !req.authMethod().equals(c.authMethod)) {
                                        throw ProblemException.conflict("auth_method_immutable",
                                                "Client '" + c.id + "' uses " + c.authMethod
                                                        + "; the method cannot be switched: create a new"
                                                        + " client with the other method");
                                    }
                                    if (keys != null && !c.usesPrivateKeyJwt()) {
                                        throw ProblemException.conflict("not_private_key_jwt", "Client '" + c.id
                                                + "' uses client_secret; only a private_key_jwt client has jwks or jwksUri");
                                    }
                                    if (req.name() != null) {
                                        c.name = req.name().strip();
                                    }
                                    if (req.description() != null) {
                                        c.description = req.description();
                                    }
                                    if (keys != null) {
                                        keys.applyTo(c);
                                    }
                                    if (allowed != null) {
                                        c.scopes = allowed;
                                    }
                                    if (req.tokenLifetimeSeconds() != null) {
                                        c.tokenLifetimeSeconds = req.tokenLifetimeSeconds();
                                    }
                                    c.updatedAt = Instant.now();
                                    return c;
                                }))
                                .call(c -> keys == null ? Uni.createFrom().voidItem()
                                        : clientKeys.sync(c, c.updatedAt).replaceWithVoid())
                                .chain(c -> lookup.publish(c)
                                        .call(() -> audit.success(target, c.id,
                                                "name " + c.name
                                                        + (keys == null ? "" : ", keys replaced: " + keys.describe())
                                                        + tokenSettings(c)))
                                        .replaceWith(c))))
                        .chain(this::withKeys));
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

    /** The client's response with its keys' recorded use (read after the change committed). */
    Uni<ClientResponse> withKeys(ClientEntity c) {
        return usageOf(List.of(c))
                .chain(usage -> timesOf(List.of(c)).map(times -> Mapping.client(c, usage, times, null)));
    }

    private Uni<List<ClientKeyEntity>> timesOf(List<ClientEntity> all) {
        return Panache.withSession(
                () -> keyTimes.ofClients(all.stream().filter(ClientEntity::usesPrivateKeyJwt).map(c -> c.id).toList()));
    }

    private Uni<List<KeyUsageRepository.Usage>> usageOf(List<ClientEntity> all) {
        return keyUsage.ofClients(all.stream().filter(ClientEntity::usesPrivateKeyJwt).map(c -> c.id).toList());
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
