package io.keyhook.webhooks.service;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.keyhook.common.contract.EnvironmentStateRecord;
import io.keyhook.common.contract.WebhookState;
import io.keyhook.webhooks.client.DispatcherPingApi;
import io.keyhook.webhooks.persistence.SigningKeyAgeRepository;
import io.keyhook.webhooks.persistence.WebhookRepository;
import io.keyhook.webhooks.persistence.WebhookRow;
import io.keyhook.webhooks.view.EnvironmentView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * An Environment's maximum secret age ({@code secretMaxAgeDays}, {@code secretExpiryGraceDays}, learnt from
 * {@code keyhook.environments}) applied to a webhook's own signing keys and secrets (issue 30), as
 * credentials-service's SecretAgeJob applies it to client secrets. An active own key older than the maximum is flagged
 * (audited {@code webhook.signing-key.age_flagged} once). After the grace it is expired (retired, audited
 * {@code webhook.signing-key.expired}) only when the webhook has another active key younger than it and the receiver
 * answers 2xx to a {@code keyhook.ping} signed with only the keys that stay (what a verified retire proves); otherwise
 * the expiry is refused ({@code webhook.signing-key.expiry_blocked}, audited once per key) and retried every round: a
 * webhook always keeps signing what its receiver accepts. Safe on several replicas: each step is a conditional update
 * of the key's {@code signing_key_ages} row, the ping runs under a claim on it, and the expiry commits under the
 * webhook's row lock.
 */
@ApplicationScoped
@Startup // its counters exist at 0 from the start, so increase() sees the first flag
public class SigningKeyAgeJob {

    private static final Logger LOG = Logger.getLogger(SigningKeyAgeJob.class);
    static final String ACTOR = "keyhook";
    static final String FLAGGED = "webhook.signing-key.age_flagged";
    static final String EXPIRED = "webhook.signing-key.expired";
    static final String BLOCKED = "webhook.signing-key.expiry_blocked";
    /** Longer than the ping's own timeout (40 s): a replica that died mid-check lets another try after this. */
    private static final Duration CLAIM = Duration.ofMinutes(2);

    private final Pool pool;
    private final WebhookRepository webhooks;
    private final SigningKeyAgeRepository ages;
    private final EnvironmentView environments;
    private final ChangeRecorder recorder;
    private final DispatcherPingApi pings;
    private final Counter flagged;
    private final Counter expired;
    private final Counter blocked;

    @Inject
    SigningKeyAgeJob(Pool pool, WebhookRepository webhooks, SigningKeyAgeRepository ages, EnvironmentView environments,
            ChangeRecorder recorder, @RestClient DispatcherPingApi pings, MeterRegistry registry) {
        this.pool = pool;
        this.webhooks = webhooks;
        this.ages = ages;
        this.environments = environments;
        this.recorder = recorder;
        this.pings = pings;
        this.flagged = registry.counter("keyhook.webhooks.signing_keys.age_flagged");
        this.expired = registry.counter("keyhook.webhooks.signing_keys.expired");
        this.blocked = registry.counter("keyhook.webhooks.signing_keys.expiry_blocked");
    }

    @Scheduled(every = "${keyhook.webhooks.signing-key-age-check-interval:5m}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return round(Instant.now()).onFailure().invoke(e -> LOG.warnf("Signing key age round failed: %s", e.toString()))
                .onFailure().recoverWithNull();
    }

    /**
     * One round as of {@code now} (the cutoffs; what is recorded is the real time): flags and expires what is due in
     * every Environment with a maximum age.
     */
    public Uni<Void> round(Instant now) {
        List<EnvironmentStateRecord> due = environments.all().stream().filter(EnvironmentStateRecord::hasSecretMaxAge)
                .toList();
        return Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(e -> environment(e, now)
                .onFailure()
                .invoke(x -> LOG.warnf("Signing key age check of Environment %s failed: %s", e.id(), x.toString()))
                .onFailure().recoverWithNull()).collect().asList().replaceWithVoid();
    }

    private Uni<Void> environment(EnvironmentStateRecord e, Instant now) {
        Instant flagBefore = now.minus(Duration.ofDays(e.secretMaxAgeDays()));
        int grace = e.secretExpiryGraceDays() == null ? 0 : e.secretExpiryGraceDays();
        Instant expireBefore = flagBefore.minus(Duration.ofDays(grace));
        return webhooks.list(pool, e.id()).onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .filter(WebhookRow::ownSigning).onItem()
                .transformToUniAndConcatenate(w -> webhook(e, w, flagBefore, expireBefore).onFailure()
                        .invoke(x -> LOG.warnf("Signing key age check of webhook %s failed: %s", w.id(), x.toString()))
                        .onFailure().recoverWithNull())
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> webhook(EnvironmentStateRecord e, WebhookRow w, Instant flagBefore, Instant expireBefore) {
        List<WebhookState.SigningKey> old = w.signingKeys().stream()
                .filter(k -> SigningKeyService.active(k) && k.createdAt().isBefore(flagBefore)).toList();
        return Multi.createFrom().iterable(old).onItem()
                .transformToUniAndConcatenate(k -> flag(e, w, k).chain(() -> k.createdAt().isBefore(expireBefore)
                        ? expire(e, w.id(), k.id()) : Uni.createFrom().voidItem()))
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> flag(EnvironmentStateRecord e, WebhookRow w, WebhookState.SigningKey k) {
        return pool.withTransaction(c -> ages.flag(c, k.id(), w.id(), e.id(), now())
                .call(mine -> mine
                        ? recorder.audited(c, e.id(), ACTOR, FLAGGED, w.id(),
                                "key " + k.id() + " (" + k.kind() + ") older than " + e.secretMaxAgeDays()
                                        + " days; it expires after " + e.secretExpiryGraceDays()
                                        + " more days if another active key is younger and the receiver"
                                        + " accepts a keyhook.ping without it: add a new key now")
                        : Uni.createFrom().voidItem()))
                .invoke(mine -> {
                    if (mine) {
                        flagged.increment();
                    }
                }).replaceWithVoid();
    }

    /** Expires one overdue key if it may go, under a claim so that one replica checks it at a time. */
    private Uni<Void> expire(EnvironmentStateRecord e, String webhookId, String keyId) {
        Instant now = now();
        return pool.withTransaction(c -> ages.claimExpiry(c, keyId, now, now.plus(CLAIM))).chain(claimed -> {
            if (!claimed) {
                return Uni.createFrom().voidItem();
            }
            return check(e, webhookId, keyId).eventually(
                    () -> pool.withTransaction(c -> ages.releaseClaim(c, keyId)).onFailure().recoverWithNull());
        });
    }

    private Uni<Void> check(EnvironmentStateRecord e, String webhookId, String keyId) {
        return webhooks.find(pool, e.id(), webhookId, false).chain(w -> {
            WebhookState.SigningKey key = keyOf(w, keyId);
            if (key == null || !SigningKeyService.active(key)) {
                return Uni.createFrom().voidItem();
            }
            List<String> staying = staying(w, keyId);
            boolean younger = w.signingKeys().stream().anyMatch(k -> SigningKeyService.active(k)
                    && !k.id().equals(keyId) && k.createdAt().isAfter(key.createdAt()));
            if (!younger) {
                return block(e, webhookId, keyId, staying.isEmpty() ? "it is the webhook's only active key"
                        : "no other active key is younger than it");
            }
            return pings.ping(e.id(), webhookId, new DispatcherPingApi.PingBody(null, staying, "key_expiry_check"))
                    .onFailure()
                    .recoverWithItem(x -> new DispatcherPingApi.PingResult(null, false, null,
                            "webhook-dispatcher could not ping: " + RotationChecks.reason(x), 0))
                    .chain(p -> p.delivered() ? retire(e, webhookId, key, staying)
                            : block(e, webhookId, keyId,
                                    "the receiver did not accept a keyhook.ping signed with only "
                                            + String.join(", ", staying) + " ("
                                            + (p.statusCode() != null ? "HTTP " + p.statusCode() : p.error()) + ")"));
        });
    }

    /** The key stops signing, under the webhook's row lock, if the keys that stay are still the ones just verified. */
    private Uni<Void> retire(EnvironmentStateRecord e, String webhookId, WebhookState.SigningKey key,
            List<String> verified) {
        return pool.withTransaction(c -> webhooks.find(c, e.id(), webhookId, true).chain(w -> {
            WebhookState.SigningKey current = keyOf(w, key.id());
            if (current == null || !SigningKeyService.active(current) || !staying(w, key.id()).equals(verified)) {
                // changed meanwhile (an admin's retire or new key): the next round judges it again
                return Uni.createFrom().item(false);
            }
            Instant at = now();
            WebhookRow after = w
                    .withSigningKeys(
                            SigningKeyService.pruned(w.signingKeys().stream()
                                    .map(k -> k.id().equals(key.id()) ? SigningKeyService.retired(k, at) : k).toList()),
                            at);
            return ages.expired(c, key.id(), at)
                    .call(mine -> !mine ? Uni.createFrom().voidItem()
                            : webhooks.update(c, after)
                                    .chain(() -> recorder.changed(c, after, EXPIRED, ACTOR,
                                            "key " + key.id() + " older than " + e.secretMaxAgeDays() + " days plus "
                                                    + e.secretExpiryGraceDays()
                                                    + " days' grace; the receiver accepted a keyhook.ping signed"
                                                    + " with only " + String.join(", ", verified))));
        })).invoke(mine -> {
            if (mine) {
                expired.increment();
            }
        }).replaceWithVoid();
    }

    private Uni<Void> block(EnvironmentStateRecord e, String webhookId, String keyId, String reason) {
        return pool.withTransaction(c -> ages.blocked(c, keyId, reason, now())
                .call(mine -> mine
                        ? recorder.audited(c, e.id(), ACTOR, BLOCKED, webhookId,
                                "key " + keyId + " is past its maximum age and grace but stays active: " + reason)
                        : Uni.createFrom().voidItem()))
                .invoke(mine -> {
                    if (mine) {
                        blocked.increment();
                    }
                }).replaceWithVoid();
    }

    private static WebhookState.SigningKey keyOf(WebhookRow w, String keyId) {
        if (w == null || !w.ownSigning()) {
            return null;
        }
        return w.signingKeys().stream().filter(k -> k.id().equals(keyId)).findFirst().orElse(null);
    }

    /** The active keys but {@code keyId}: what would sign once it goes. */
    private static List<String> staying(WebhookRow w, String keyId) {
        return w.signingKeys().stream().filter(SigningKeyService::active).map(WebhookState.SigningKey::id)
                .filter(k -> !k.equals(keyId)).toList();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
