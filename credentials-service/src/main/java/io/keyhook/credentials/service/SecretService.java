package io.keyhook.credentials.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.core.error.ProblemException;
import io.keyhook.credentials.api.SecretCreatedResponse;
import io.keyhook.credentials.api.SecretResponse;
import io.keyhook.credentials.config.CredentialsConfig;
import io.keyhook.credentials.persistence.ClientEntity;
import io.keyhook.credentials.persistence.LeaseEntity;
import io.keyhook.credentials.persistence.LeaseRepository;
import io.keyhook.credentials.persistence.SecretEntity;
import io.keyhook.credentials.persistence.SecretRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Client secrets of API and admin clients: several may be active at once (rotation); a secret a webhook holds a lease
 * on cannot be invalidated.
 */
@ApplicationScoped
public class SecretService {

    @Inject
    ClientLookup lookup;

    @Inject
    SecretRepository secrets;

    @Inject
    LeaseRepository leases;

    @Inject
    SecretFactory factory;

    @Inject
    AuditTrail audit;

    @Inject
    CredentialsConfig config;

    @WithSession
    public Uni<List<SecretResponse>> list(ClientRef ref) {
        return lookup
                .find(ref,
                        false)
                .chain(c -> secrets
                        .ofClient(c.id))
                .chain(all -> leases.ofSecrets(all.stream().map(s -> s.id).toList()).map(held -> all.stream()
                        .map(s -> Mapping.secret(s, webhooksBySecret(held).getOrDefault(s.id, List.of()))).toList()));
    }

    public Uni<SecretCreatedResponse> create(ClientRef ref) {
        var target = new AuditTrail.Target(prefix(ref) + ".secret.create", ref.environmentId(), "client",
                ref.clientId());
        String context = SecretFactory.contextOf(ref);
        return audit.refusalsOf(target, factory.create(context)
                .chain(fresh -> Panache.withTransaction(() -> lookup.find(ref, true).chain(client -> {
                    if (!client.isActive()) {
                        return Uni.createFrom().failure(ProblemException.conflict("client_disabled",
                                "Client '" + client.id + "' is disabled; it cannot get new secrets"));
                    }
                    if (client.usesPrivateKeyJwt()) {
                        // a secret beside the client's own key would be a second, weaker way in
                        return Uni.createFrom()
                                .failure(ProblemException.conflict("client_uses_private_key_jwt",
                                        "Client '" + client.id
                                                + "' authenticates with its own keys (private_key_jwt); it"
                                                + " has no secrets. Replace its keys with PATCH jwks or jwksUri"));
                    }
                    return secrets.countActive(client.id).chain(active -> {
                        if (active >= config.maxActiveSecretsPerClient()) {
                            return Uni.createFrom()
                                    .failure(ProblemException.conflict("too_many_active_secrets",
                                            "Client '" + client.id + "' already has " + active
                                                    + " active secrets, the most allowed; invalidate one first"));
                        }
                        SecretEntity s = fresh.toEntity(client.id, Instant.now());
                        client.updatedAt = s.createdAt;
                        return secrets.persist(s).call(() -> lookup.publish(client))
                                .call(() -> audit.success(target, client.id, "secret " + s.id))
                                .map(x -> Mapping.created(s, fresh.value()));
                    });
                }))));
    }

    /** Invalidates a secret; 409 naming the webhooks while any holds a lease on it. Idempotent. */
    public Uni<SecretResponse> invalidate(ClientRef ref, String secretId) {
        var target = new AuditTrail.Target(prefix(ref) + ".secret.invalidate", ref.environmentId(), "secret", secretId);
        return audit.refusalsOf(target,
                // the client row is locked first, as disabling it does: its write below then never carries a stale
                // status (an unlocked read here once re-enabled a client disabled a moment before)
                Panache.withTransaction(() -> lookup.find(ref, true)
                        .chain(client -> secrets.lockedOfClient(client.id, secretId).onItem().ifNull()
                                .failWith(() -> ProblemException.notFound("secret_not_found",
                                        "Secret '" + secretId + "' does not exist for client '" + client.id + "'"))
                                .chain(s -> leases.ofSecrets(List.of(s.id)).chain(held -> {
                                    if (!held.isEmpty()) {
                                        List<String> webhooks = held.stream().map(l -> l.webhookId).toList();
                                        return Uni.createFrom().failure(ProblemException
                                                .conflict("secret_in_use", "Secret '" + s.id
                                                        + "' is used by webhook(s) " + String.join(", ", webhooks)
                                                        + ". Replace it without a gap with a guided rotation: POST"
                                                        + " /api/v1/environments/" + client.environmentId
                                                        + "/rotations {\"clientId\":\"" + client.id
                                                        + "\",\"secretId\":\"" + s.id
                                                        + "\"} on webhook-config-service, or ./keyhook rotate "
                                                        + client.environmentId + " " + client.id + " " + s.id
                                                        + "; or remove it from those webhooks first")
                                                .with("webhookIds", webhooks).with("rotation",
                                                        "/api/v1/environments/" + client.environmentId + "/rotations"));
                                    }
                                    if (!s.isActive()) {
                                        return Uni.createFrom().item(Mapping.secret(s, List.of()));
                                    }
                                    s.status = SecretEntity.INVALIDATED;
                                    s.invalidatedAt = Instant.now();
                                    client.updatedAt = s.invalidatedAt;
                                    return lookup.publish(client)
                                            .call(() -> audit.success(target, s.id, "client " + client.id))
                                            .map(x -> Mapping.secret(s, List.of()));
                                })))));
    }

    static Map<String, List<String>> webhooksBySecret(List<LeaseEntity> held) {
        return held.stream().collect(
                Collectors.groupingBy(l -> l.secretId, Collectors.mapping(l -> l.webhookId, Collectors.toList())));
    }

    private static String prefix(ClientRef ref) {
        return ClientEntity.ADMIN.equals(ref.kind()) ? "admin-client" : "client";
    }
}
