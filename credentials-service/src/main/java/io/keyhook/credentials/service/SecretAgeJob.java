package io.keyhook.credentials.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.credentials.messaging.OutboxWriter;
import io.keyhook.credentials.persistence.ClientRepository;
import io.keyhook.credentials.persistence.EnvironmentEntity;
import io.keyhook.credentials.persistence.EnvironmentRepository;
import io.keyhook.credentials.persistence.LeaseRepository;
import io.keyhook.credentials.persistence.SecretEntity;
import io.keyhook.credentials.persistence.SecretRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Enforces an Environment's {@code secretMaxAgeDays}: a secret older than it is flagged (once, audited
 * {@code secret.age_flagged}), and {@code secretExpiryGraceDays} later it is invalidated (audited
 * {@code secret.expired}), exactly as an admin's invalidation: tokens issued under it stop working at once. A secret a
 * webhook still holds is never invalidated (deliveries would fail): its expiry is refused, audited
 * {@code secret.expiry_blocked} once a day, and counted; a guided rotation replaces it. Safe on several replicas: the
 * flag is a conditional update and the invalidation locks the client row as every secret change does.
 */
@ApplicationScoped
public class SecretAgeJob {

    private static final Logger LOG = Logger.getLogger(SecretAgeJob.class);
    static final String ACTOR = "keyhook";
    private static final int BATCH = 500;

    private final EnvironmentRepository environments;
    private final SecretRepository secrets;
    private final ClientRepository clients;
    private final LeaseRepository leases;
    private final ClientLookup lookup;
    private final AuditTrail audit;
    private final OutboxWriter outbox;
    private final Counter flagged;
    private final Counter expired;
    private final Counter blocked;
    /** When each blocked secret's refusal was last audited. */
    private final Map<String, Instant> blockedAudited = new ConcurrentHashMap<>();

    @Inject
    SecretAgeJob(EnvironmentRepository environments, SecretRepository secrets, ClientRepository clients,
            LeaseRepository leases, ClientLookup lookup, AuditTrail audit, OutboxWriter outbox,
            MeterRegistry registry) {
        this.environments = environments;
        this.secrets = secrets;
        this.clients = clients;
        this.leases = leases;
        this.lookup = lookup;
        this.audit = audit;
        this.outbox = outbox;
        this.flagged = registry.counter("keyhook.credentials.secrets.age_flagged");
        this.expired = registry.counter("keyhook.credentials.secrets.expired");
        this.blocked = registry.counter("keyhook.credentials.secrets.expiry_blocked");
    }

    @Scheduled(every = "${keyhook.credentials.secret-age-check-interval:5m}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return round(Instant.now()).onFailure().invoke(e -> LOG.warnf("Secret age round failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * One round as of {@code now} (the cutoffs; what is recorded is the real time): flags and expires what is due in
     * every Environment with a maximum age.
     */
    public Uni<Void> round(Instant now) {
        return MaxAgeRound.overEnvironments(environments, LOG, "Secret age", (e, cut) -> environment(e, cut, now), now);
    }

    private Uni<Void> environment(EnvironmentEntity e, MaxAgeRound.Cutoffs cut, Instant now) {
        Instant flagBefore = cut.flagBefore();
        Instant expireBefore = cut.expireBefore();
        return Panache
                .withTransaction(
                        () -> secrets.olderThan(e.id, flagBefore, true, BATCH).chain(due -> flagAll(e, due, now)))
                .chain(() -> Panache.withSession(() -> secrets.olderThan(e.id, expireBefore, false, BATCH)))
                .chain(due -> Multi.createFrom().iterable(due).onItem()
                        .transformToUniAndConcatenate(s -> expire(e, s.clientId, s.id, now)).collect().asList())
                .replaceWithVoid();
    }

    private Uni<Void> flagAll(EnvironmentEntity e, List<SecretEntity> due, Instant now) {
        return Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(s -> {
            Instant at = Instant.now();
            return secrets.flagAge(s.id, at).chain(mine -> !mine ? Uni.createFrom().voidItem()
                    : audit.successAs(ACTOR, new AuditTrail.Target("secret.age_flagged", e.id, "secret", s.id), s.id,
                            "client " + s.clientId + ": older than " + e.secretMaxAgeDays + " days; expires after "
                                    + e.secretExpiryGraceDays + " more days unless a webhook holds it")
                            // issue 31: in the flag's transaction, so it is emitted exactly when the flag commits
                            .call(() -> outbox.operational(CredentialExpiring.secret(e, s.clientId, s.id,
                                    CredentialExpiring.expiresAt(e, s.createdAt, at), at)))
                            .invoke(() -> flagged.increment()));
        }).collect().asList().replaceWithVoid();
    }

    /** Invalidates one overdue secret under the client's row lock, unless a webhook holds it. */
    private Uni<Void> expire(EnvironmentEntity e, String clientId, String secretId, Instant now) {
        return Panache.withTransaction(() -> clients.apiClient(e.id, clientId, true).chain(client -> {
            if (client == null || !client.isActive()) {
                return Uni.createFrom().voidItem();
            }
            return secrets.lockedOfClient(clientId, secretId).chain(s -> {
                if (s == null || !s.isActive()) {
                    return Uni.createFrom().voidItem();
                }
                return leases.ofSecrets(List.of(secretId)).chain(held -> {
                    if (!held.isEmpty()) {
                        blocked.increment();
                        return blockedOncePerDay(e, s, held.stream().map(l -> l.webhookId).toList(), now);
                    }
                    s.status = SecretEntity.INVALIDATED;
                    s.invalidatedAt = Instant.now();
                    client.updatedAt = s.invalidatedAt;
                    return lookup.publish(client)
                            .call(() -> audit.successAs(ACTOR,
                                    new AuditTrail.Target("secret.expired", e.id, "secret", secretId), secretId,
                                    "client " + clientId + ": older than " + e.secretMaxAgeDays + " days plus "
                                            + e.secretExpiryGraceDays + " days' grace"))
                            .invoke(() -> expired.increment());
                });
            });
        }));
    }

    /** The refusal is audited at most once a day per secret and replica (the job runs every 5 minutes). */
    private Uni<Void> blockedOncePerDay(EnvironmentEntity e, SecretEntity s, List<String> webhooks, Instant now) {
        Instant last = blockedAudited.get(s.id);
        if (last != null && last.isAfter(now.minus(Duration.ofDays(1)))) {
            return Uni.createFrom().voidItem();
        }
        blockedAudited.put(s.id, now);
        return audit.successAs(ACTOR, new AuditTrail.Target("secret.expiry_blocked", e.id, "secret", s.id), s.id,
                "overdue but held by webhook(s) " + String.join(", ", webhooks)
                        + ": replace it with a guided rotation");
    }
}
