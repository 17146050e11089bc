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
import io.keyhook.credentials.persistence.ClientKeyEntity;
import io.keyhook.credentials.persistence.ClientKeyRepository;
import io.keyhook.credentials.persistence.ClientRepository;
import io.keyhook.credentials.persistence.EnvironmentEntity;
import io.keyhook.credentials.persistence.EnvironmentRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * {@link SecretAgeJob}'s sibling for private_key_jwt keys: the Environment's {@code secretMaxAgeDays} applies to a
 * key's registration time. An older key is flagged (once, audited {@code key.age_flagged}); {@code
 * secretExpiryGraceDays} later it is removed from the inline JWKS (audited {@code key.expired}) and the client's new
 * state published, so token-service refuses it at once. Never the client's last key (the app would be locked out): the
 * expiry is refused, audited {@code key.expiry_blocked} once a day, and counted; the operator rotates the key. A
 * jwksUri client's keys are the customer's: flagged only (dated by their first use). Safe on several replicas: flags
 * are conditional writes and the removal locks the client row as every JWKS change does.
 */
@ApplicationScoped
public class KeyAgeJob {

    private static final Logger LOG = Logger.getLogger(KeyAgeJob.class);
    private static final int BATCH = 500;

    private final EnvironmentRepository environments;
    private final ClientKeyRepository keys;
    private final ClientRepository clients;
    private final ClientKeys clientKeys;
    private final ClientLookup lookup;
    private final AuditTrail audit;
    private final OutboxWriter outbox;
    private final Counter flagged;
    private final Counter expired;
    private final Counter blocked;
    /** When each blocked key's refusal was last audited. */
    private final Map<List<String>, Instant> blockedAudited = new ConcurrentHashMap<>();

    @Inject
    KeyAgeJob(EnvironmentRepository environments, ClientKeyRepository keys, ClientRepository clients,
            ClientKeys clientKeys, ClientLookup lookup, AuditTrail audit, OutboxWriter outbox, MeterRegistry registry) {
        this.environments = environments;
        this.keys = keys;
        this.clients = clients;
        this.clientKeys = clientKeys;
        this.lookup = lookup;
        this.audit = audit;
        this.outbox = outbox;
        this.flagged = registry.counter("keyhook.credentials.keys.age_flagged");
        this.expired = registry.counter("keyhook.credentials.keys.expired");
        this.blocked = registry.counter("keyhook.credentials.keys.expiry_blocked");
    }

    @Scheduled(every = "${keyhook.credentials.secret-age-check-interval:5m}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return round(Instant.now()).onFailure().invoke(e -> LOG.warnf("Key age round failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One round as of {@code now} (the cutoffs; what is recorded is the real time). */
    public Uni<Void> round(Instant now) {
        return MaxAgeRound.overEnvironments(environments, LOG, "Key age", (e, cut) -> environment(e, cut, now), now);
    }

    private Uni<Void> environment(EnvironmentEntity e, MaxAgeRound.Cutoffs cut, Instant now) {
        Instant flagBefore = cut.flagBefore();
        Instant expireBefore = cut.expireBefore();
        return Panache
                .withTransaction(() -> keys.olderThan(e.id, flagBefore, true, BATCH).chain(due -> flagAll(e, due)))
                .chain(() -> Panache.withTransaction(() -> keys
                        .flagRemoteOlderThan(e.id, flagBefore, Instant.now(), BATCH)
                        .chain(rows -> Multi.createFrom().iterable(rows).onItem()
                                .transformToUniAndConcatenate(r -> flaggedRemote(e, (String) r[0], (String) r[1]))
                                .collect().asList())))
                .chain(() -> Panache.withSession(() -> keys.olderThan(e.id, expireBefore, false, BATCH)))
                .chain(due -> Multi.createFrom().iterable(due).onItem()
                        .transformToUniAndConcatenate(k -> expire(e, k.clientId, k.kid, now)).collect().asList())
                .replaceWithVoid();
    }

    private Uni<Void> flagAll(EnvironmentEntity e, List<ClientKeyEntity> due) {
        return Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(k -> {
            Instant at = Instant.now();
            return keys.flagAge(k.clientId, k.kid, at)
                    .chain(mine -> !mine ? Uni.createFrom().voidItem() : audit
                            .successAs(SecretAgeJob.ACTOR, target("key.age_flagged", e, k.clientId), k.clientId,
                                    "kid " + k.kid + ": registered " + k.registeredAt + ", older than "
                                            + e.secretMaxAgeDays + " days; removed after " + e.secretExpiryGraceDays
                                            + " more days unless it is the client's last key: rotate it")
                            // issue 31: in the flag's transaction
                            .call(() -> outbox.operational(CredentialExpiring.key(e, k.clientId, k.kid,
                                    CredentialExpiring.expiresAt(e, k.registeredAt, at), at)))
                            .invoke(() -> flagged.increment()));
        }).collect().asList().replaceWithVoid();
    }

    private Uni<Void> flaggedRemote(EnvironmentEntity e, String clientId, String kid) {
        flagged.increment();
        return audit
                .successAs(SecretAgeJob.ACTOR, target("key.age_flagged", e, clientId), clientId,
                        "kid " + kid + " (from the client's jwksUri): first used more than " + e.secretMaxAgeDays
                                + " days ago; the customer should rotate it at their URL (Keyhook never removes it)")
                // Keyhook never removes it: no expiresAt
                .call(() -> outbox.operational(CredentialExpiring.key(e, clientId, kid, null, Instant.now())));
    }

    /** Removes one overdue key under the client's row lock, unless it is the client's last. */
    private Uni<Void> expire(EnvironmentEntity e, String clientId, String kid, Instant now) {
        return Panache.withTransaction(() -> clients.apiClient(e.id, clientId, true).chain(c -> {
            if (c == null || !c.isActive() || c.jwks == null) {
                return Uni.createFrom().voidItem();
            }
            List<String> kids = KeyRotationService.kids(c.jwks);
            if (!kids.contains(kid)) {
                return Uni.createFrom().voidItem();
            }
            if (kids.size() == 1) {
                blocked.increment();
                return blockedOncePerDay(e, clientId, kid, now);
            }
            Instant at = Instant.now();
            c.jwks = KeyRotationService.withoutKey(c.jwks, kid);
            c.updatedAt = at;
            return clientKeys.sync(c, at).call(() -> lookup.publish(c))
                    .call(() -> audit.successAs(SecretAgeJob.ACTOR, target("key.expired", e, clientId), clientId,
                            "kid " + kid + ": older than " + e.secretMaxAgeDays + " days plus "
                                    + e.secretExpiryGraceDays + " days' grace; removed from the JWKS"))
                    .invoke(() -> expired.increment()).replaceWithVoid();
        }));
    }

    /** The refusal is audited at most once a day per key and replica (the job runs every 5 minutes). */
    private Uni<Void> blockedOncePerDay(EnvironmentEntity e, String clientId, String kid, Instant now) {
        List<String> key = List.of(clientId, kid);
        Instant last = blockedAudited.get(key);
        if (last != null && last.isAfter(now.minus(Duration.ofDays(1)))) {
            return Uni.createFrom().voidItem();
        }
        blockedAudited.put(key, now);
        return audit.successAs(SecretAgeJob.ACTOR, target("key.expiry_blocked", e, clientId), clientId, "kid " + kid
                + ": overdue but the client's last key; rotate it (POST .../key-rotations) so the app is not locked out");
    }

    private static AuditTrail.Target target(String action, EnvironmentEntity e, String clientId) {
        return new AuditTrail.Target(action, e.id, "client", clientId);
    }
}
