package io.keyhook.credentials.service;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.credentials.api.AdminClientCreateRequest;
import io.keyhook.credentials.api.AdminClientPatchRequest;
import io.keyhook.credentials.api.AdminClientResponse;
import io.keyhook.credentials.persistence.ClientEntity;
import io.keyhook.credentials.persistence.ClientRepository;
import io.keyhook.credentials.persistence.SecretEntity;
import io.keyhook.credentials.persistence.SecretRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Admin clients: the service accounts integration admins and automation use to get admin-API tokens from token-service.
 * Their groups and environments become the token's claims.
 */
@ApplicationScoped
public class AdminClientService {

    @Inject
    ClientRepository clients;

    @Inject
    SecretRepository secrets;

    @Inject
    ClientLookup lookup;

    @Inject
    ClientService clientService;

    @Inject
    SecretFactory factory;

    @Inject
    AuditTrail audit;

    @WithSession
    public Uni<List<AdminClientResponse>> list() {
        return clients.adminClients().map(all -> all.stream().map(c -> Mapping.adminClient(c, null)).toList());
    }

    @WithSession
    public Uni<AdminClientResponse> get(String clientId) {
        return lookup.find(ClientRef.admin(clientId), false).map(c -> Mapping.adminClient(c, null));
    }

    public Uni<AdminClientResponse> create(AdminClientCreateRequest req) {
        var target = new AuditTrail.Target("admin-client.create", null, "admin-client", null);
        return audit.refusalsOf(target, factory.create(SecretFactory.ADMIN_CONTEXT).chain(fresh -> Panache
                .withTransaction(() -> insert(SecretGenerator.newId("adm_"), req, fresh, target, null))));
    }

    /** Creates an admin client with a given id and secret: the first-start operator bootstrap. */
    Uni<AdminClientResponse> createWith(String clientId, String secret, AdminClientCreateRequest req) {
        var target = new AuditTrail.Target("admin-client.bootstrap", null, "admin-client", clientId);
        return factory.from(SecretFactory.ADMIN_CONTEXT, secret).chain(
                fresh -> Panache.withTransaction(() -> insert(clientId, req, fresh, target, "system:bootstrap")));
    }

    public Uni<AdminClientResponse> patch(String clientId, AdminClientPatchRequest req) {
        var target = new AuditTrail.Target("admin-client.update", null, "admin-client", clientId);
        return audit.refusalsOf(target,
                Panache.withTransaction(() -> lookup.find(ClientRef.admin(clientId), true).chain(c -> {
                    if (req.name() != null) {
                        c.name = req.name().strip();
                    }
                    if (req.description() != null) {
                        c.description = req.description();
                    }
                    if (req.groups() != null) {
                        c.groups = List.copyOf(new TreeSet<>(req.groups()));
                    }
                    if (req.environments() != null) {
                        c.environments = List.copyOf(new TreeSet<>(req.environments()));
                    }
                    c.updatedAt = Instant.now();
                    return lookup.publish(c).call(() -> audit.success(target, c.id, describe(c)))
                            .map(x -> Mapping.adminClient(c, null));
                })));
    }

    public Uni<AdminClientResponse> disable(String clientId) {
        var target = new AuditTrail.Target("admin-client.disable", null, "admin-client", clientId);
        return audit.refusalsOf(target, Panache.withTransaction(() -> lookup.find(ClientRef.admin(clientId), true)
                .chain(c -> clientService.disableLocked(c, target)).map(c -> Mapping.adminClient(c, null))));
    }

    private Uni<AdminClientResponse> insert(String id, AdminClientCreateRequest req, NewSecret fresh,
            AuditTrail.Target target, String systemActor) {
        Instant now = Instant.now();
        ClientEntity c = new ClientEntity();
        c.id = id;
        c.kind = ClientEntity.ADMIN;
        c.name = req.name().strip();
        c.description = req.description();
        c.status = ClientEntity.ACTIVE;
        c.groups = List.copyOf(new TreeSet<>(req.groups()));
        c.environments = List.copyOf(new TreeSet<>(req.environments()));
        c.createdAt = now;
        c.updatedAt = now;
        SecretEntity s = fresh.toEntity(c.id, now);
        return clients.persist(c).call(() -> secrets.persist(s)).call(() -> lookup.publish(c))
                .call(() -> (systemActor == null ? audit.success(target, c.id, describe(c) + ", secret " + s.id)
                        : audit.successAs(systemActor, target, c.id, describe(c) + ", secret " + s.id)))
                .map(x -> Mapping.adminClient(c, Mapping.created(s, fresh.value())));
    }

    private static String describe(ClientEntity c) {
        return "groups " + String.join(",", c.groups) + ", environments " + String.join(",", c.environments);
    }
}
