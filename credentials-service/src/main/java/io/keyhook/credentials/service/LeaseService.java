package io.keyhook.credentials.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.core.error.Problem;
import io.keyhook.core.error.ProblemException;
import io.keyhook.credentials.api.LeaseDisclosure;
import io.keyhook.credentials.api.LeaseResponse;
import io.keyhook.credentials.api.LeaseSetRequest;
import io.keyhook.credentials.persistence.ClientEntity;
import io.keyhook.credentials.persistence.ClientRepository;
import io.keyhook.credentials.persistence.LeaseEntity;
import io.keyhook.credentials.persistence.LeaseRepository;
import io.keyhook.credentials.persistence.SecretEntity;
import io.keyhook.credentials.persistence.SecretRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Secret leases: the single source of truth for "a webhook uses this secret". Setting a webhook's leases locks the
 * secret rows (as invalidation does), checks each is an active secret of an active API client of the webhook's
 * Environment, pins the secrets a token-exchange webhook sends to a receiver to that receiver's site
 * ({@link SecretPins}), and replaces the webhook's previous leases, all in one transaction.
 */
@ApplicationScoped
public class LeaseService {

    @Inject
    SecretRepository secrets;

    @Inject
    ClientRepository clients;

    @Inject
    LeaseRepository leases;

    @Inject
    AuditTrail audit;

    @WithSession
    public Uni<LeaseResponse> get(String webhookId) {
        return leases.ofWebhook(webhookId).map(held -> new LeaseResponse(webhookId,
                held.isEmpty() ? null : held.get(0).environmentId, held.stream().map(l -> l.secretId).toList()));
    }

    public Uni<LeaseResponse> set(String webhookId, LeaseSetRequest request) {
        String environmentId = request.environment();
        LeaseDisclosure disclosure = request.disclosure();
        var target = new AuditTrail.Target("lease.set", environmentId, "webhook", webhookId);
        List<String> wanted = List.copyOf(new LinkedHashSet<>(request.secretIds()));
        String detail = "secrets " + String.join(",", wanted)
                + (disclosure == null ? "" : "; token exchange with " + disclosure.site());
        return audit.refusalsOf(target,
                Uni.createFrom().voidItem().invoke(() -> SecretPins.checkNamesLeased(wanted, disclosure))
                        .chain(() -> Panache.withTransaction(() -> secrets.lockedByIds(wanted)
                                .call(locked -> checkUsable(environmentId, wanted, locked))
                                .invoke(locked -> SecretPins.pin(locked, disclosure))
                                .chain(() -> replaceLeases(webhookId, environmentId, wanted))
                                .call(() -> audit.success(target, webhookId, detail))))
                        .map(x -> new LeaseResponse(webhookId, environmentId, wanted)));
    }

    /** Drops the webhook's leases not wanted any more and adds the missing ones (secrets already row-locked). */
    private Uni<Void> replaceLeases(String webhookId, String environmentId, List<String> wanted) {
        return leases.ofWebhook(webhookId).chain(existing -> {
            Set<String> keep = Set.copyOf(wanted);
            List<LeaseEntity> drop = existing.stream().filter(l -> !keep.contains(l.secretId)).toList();
            Set<String> have = new HashSet<>(existing.stream().map(l -> l.secretId).toList());
            List<LeaseEntity> add = wanted.stream().filter(id -> !have.contains(id))
                    .map(id -> lease(id, webhookId, environmentId)).toList();
            return Multi.createFrom().iterable(drop).onItem().transformToUniAndConcatenate(leases::delete).collect()
                    .asList().chain(() -> add.isEmpty() ? Uni.createFrom().voidItem() : leases.persist(add));
        });
    }

    public Uni<Void> releaseAll(String webhookId) {
        var target = new AuditTrail.Target("lease.release", null, "webhook", webhookId);
        return audit.refusalsOf(target,
                Panache.withTransaction(() -> leases.releaseAll(webhookId).call(
                        n -> n > 0 ? audit.success(target, webhookId, n + " lease(s)") : Uni.createFrom().voidItem())
                        .replaceWithVoid()));
    }

    private Uni<Void> checkUsable(String environmentId, List<String> wanted, List<SecretEntity> locked) {
        List<String> clientIds = locked.stream().map(s -> s.clientId).distinct().toList();
        Uni<List<ClientEntity>> owners = clientIds.isEmpty() ? Uni.createFrom().item(List.of())
                : clients.list("id in ?1", clientIds);
        return owners.chain(owner -> {
            List<Problem.FieldError> errors = new ArrayList<>();
            for (int i = 0; i < wanted.size(); i++) {
                String id = wanted.get(i);
                SecretEntity s = locked.stream().filter(x -> x.id.equals(id)).findFirst().orElse(null);
                ClientEntity c = s == null ? null
                        : owner.stream().filter(x -> x.id.equals(s.clientId)).findFirst().orElse(null);
                String field = "secretIds[" + i + "]";
                // another Environment's secret is reported exactly like a missing one
                if (s == null || c == null || !ClientEntity.API.equals(c.kind)
                        || !environmentId.equals(c.environmentId)) {
                    errors.add(new Problem.FieldError(field,
                            "secret " + id + " does not exist in Environment " + environmentId));
                } else if (!s.isActive()) {
                    errors.add(new Problem.FieldError(field, "secret " + id + " is invalidated"));
                } else if (!c.isActive()) {
                    errors.add(new Problem.FieldError(field, "secret " + id + " belongs to disabled client " + c.id));
                }
            }
            if (!errors.isEmpty()) {
                return Uni.createFrom().failure(new ProblemException(422, "secret_not_usable", "Unprocessable request",
                        "Only active secrets of active clients of the same Environment can be used", errors, null));
            }
            return Uni.createFrom().voidItem();
        });
    }

    private static LeaseEntity lease(String secretId, String webhookId, String environmentId) {
        LeaseEntity l = new LeaseEntity();
        l.secretId = secretId;
        l.webhookId = webhookId;
        l.environmentId = environmentId;
        l.createdAt = Instant.now();
        return l;
    }
}
