package io.keyhook.webhooks.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.keyhook.common.audit.RefusalAudit;
import io.keyhook.common.contract.WebhookState;
import io.keyhook.common.security.Caller;
import io.keyhook.core.error.ProblemException;
import io.keyhook.webhooks.api.SigningKeyResponse;
import io.keyhook.webhooks.api.SigningKeysResponse;
import io.keyhook.webhooks.client.DispatcherPingApi;
import io.keyhook.webhooks.persistence.SigningKeyAgeRepository;
import io.keyhook.webhooks.persistence.WebhookRepository;
import io.keyhook.webhooks.persistence.WebhookRow;
import io.keyhook.webhooks.view.EnvironmentView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Rotation of a webhook's own signing keys with overlap (issue 30): add a key (every active key signs each delivery, so
 * receivers that know either keep verifying), then retire the old one. Each step is a change under the webhook's row
 * lock ({@link LeaseCoordinator#changeAs}), published and audited like any change of the webhook, so two concurrent
 * steps (two replicas, a PATCH) never lose one another; the last active key can never be retired.
 */
@ApplicationScoped
public class SigningKeyService {

    static final String ADD = "webhook.signing-key.add";
    static final String RETIRE = "webhook.signing-key.retire";
    static final String RETIRE_OVERRIDE = "webhook.signing-key.retire_override";

    private final Pool pool;
    private final WebhookRepository repository;
    private final EnvironmentView environments;
    private final Caller caller;
    private final LeaseCoordinator changes;
    private final OwnSigning ownSigning;
    private final RefusalAudit refusals;
    private final DispatcherPingApi pings;
    private final SigningKeyAgeRepository ages;

    @Inject
    SigningKeyService(Pool pool, WebhookRepository repository, EnvironmentView environments, Caller caller,
            LeaseCoordinator changes, OwnSigning ownSigning, RefusalAudit refusals, @RestClient DispatcherPingApi pings,
            SigningKeyAgeRepository ages) {
        this.pings = pings;
        this.ages = ages;
        this.pool = pool;
        this.repository = repository;
        this.environments = environments;
        this.caller = caller;
        this.changes = changes;
        this.ownSigning = ownSigning;
        this.refusals = refusals;
    }

    public Uni<SigningKeysResponse> list(String env, String id) {
        requireEnvironment(env);
        return repository.find(pool, env, id, false).map(w -> WebhookService.found(w, id)).chain(this::withAges);
    }

    /**
     * A new active key of the kind the webhook signs with; the answer carries a secret's value this once. 409
     * {@code no_own_signing_keys} for a webhook signed with client secrets, {@code too_many_signing_keys} past
     * {@value OwnSigning#MAX_ACTIVE} active keys.
     */
    public Uni<SigningKeyResponse> add(String env, String id) {
        requireEnvironment(env);
        String actor = caller.subject();
        Uni<OwnSigning.NewKey> made = repository.find(pool, env, id, false)
                .chain(w -> ownSigning.generate(env, kindOf(WebhookService.found(w, id))));
        return refusals.refusalsOf(env, actor, ADD, WebhookService.TARGET_TYPE, id, made)
                .chain(key -> changes.changeAs(actor, env, id, ADD, old -> {
                    // read again under the lock: the webhook may have changed since the key was made
                    if (!kindOf(old).equals(key.key().kind())) {
                        throw ProblemException.conflict("signing_keys_changed",
                                "The webhook's security changed meanwhile; try again");
                    }
                    long active = old.signingKeys().stream().filter(SigningKeyService::active).count();
                    if (active >= OwnSigning.MAX_ACTIVE) {
                        throw ProblemException.conflict("too_many_signing_keys", "The webhook already has " + active
                                + " active signing keys, the most allowed; retire one first");
                    }
                    List<WebhookState.SigningKey> keys = new ArrayList<>(old.signingKeys());
                    keys.add(key.key());
                    return old.withSigningKeys(List.copyOf(keys), Instant.now());
                }).replaceWith(SigningKeyResponse.of(key.key(), key.secret())));
    }

    /**
     * The key stops signing (idempotent). 409 {@code last_active_signing_key} for the webhook's only active key: a
     * webhook always signs. The newest {@value OwnSigning#MAX_RETIRED} retired keys stay listed.
     */
    public Uni<SigningKeysResponse> retire(String env, String id, String keyId, String overrideReason) {
        requireEnvironment(env);
        String actor = caller.subject();
        Uni<Void> proven = overrideReason != null
                ? pool.withTransaction(c -> repository.audit(c, env, actor, RETIRE_OVERRIDE, id, "success",
                        "key " + keyId + " retired without verification: " + overrideReason))
                : refusals.refusalsOf(env, actor, RETIRE, WebhookService.TARGET_TYPE, id, verified(env, id, keyId));
        return proven.chain(() -> changes.changeAs(actor, env, id, RETIRE, old -> {
            WebhookState.SigningKey key = old.ownSigning()
                    ? old.signingKeys().stream().filter(k -> k.id().equals(keyId)).findFirst().orElse(null) : null;
            if (key == null) {
                throw ProblemException.notFound("signing_key_not_found", "No signing key " + keyId + " on " + id);
            }
            if (!active(key)) {
                return old;
            }
            if (old.signingKeys().stream().filter(SigningKeyService::active).count() <= 1) {
                throw ProblemException.conflict("last_active_signing_key",
                        "The webhook's only active signing key cannot be retired: add a new one first");
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            List<WebhookState.SigningKey> keys = old.signingKeys().stream()
                    .map(k -> k.id().equals(keyId) ? retired(k, now) : k).toList();
            return old.withSigningKeys(pruned(keys), now);
        }).chain(this::withAges));
    }

    /**
     * Verified retirement (issue 30): before an active key stops signing, the receiver must answer 2xx to a
     * {@code keyhook.ping} signed with only the active keys that stay; else 409 {@code retire_not_verified} with the
     * ping's outcome. Nothing to prove when the key is not active or would be the last (the change answers those).
     */
    private Uni<Void> verified(String env, String id, String keyId) {
        return repository.find(pool, env, id, false).chain(w -> {
            WebhookRow row = WebhookService.found(w, id);
            if (!row.ownSigning() || row.signingKeys().stream().noneMatch(k -> k.id().equals(keyId) && active(k))) {
                return Uni.createFrom().voidItem();
            }
            List<String> staying = row.signingKeys().stream().filter(SigningKeyService::active)
                    .map(WebhookState.SigningKey::id).filter(k -> !k.equals(keyId)).toList();
            if (staying.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return pings.ping(env, id, new DispatcherPingApi.PingBody(null, staying, "key_retire_check")).onFailure()
                    .recoverWithItem(e -> new DispatcherPingApi.PingResult(null, false, null,
                            "webhook-dispatcher could not ping: " + RotationChecks.reason(e), 0))
                    .chain(p -> p.delivered() ? Uni.createFrom().voidItem()
                            : Uni.createFrom().failure(ProblemException.conflict("retire_not_verified",
                                    "The receiver did not accept a keyhook.ping signed with only the keys that stay ("
                                            + (p.statusCode() != null ? "HTTP " + p.statusCode() : p.error())
                                            + "): give it the new key first, or retire with {\"override\": true,"
                                            + " \"reason\": \"...\"}")
                                    .with("ping", p)));
        });
    }

    /** The listing, with when each key was flagged as older than the Environment's maximum age. */
    private Uni<SigningKeysResponse> withAges(WebhookRow w) {
        return ages.flaggedAt(pool, w.id()).map(flags -> SigningKeysResponse.of(w, flags));
    }

    /** The kind of the webhook's own keys; 409 when it signs with client secrets. */
    private static String kindOf(WebhookRow w) {
        if (!w.ownSigning()) {
            throw ProblemException.conflict("no_own_signing_keys",
                    "This webhook signs with API client secrets (security.secretIds); set security.signatureScheme"
                            + " v1a or security.signingSecret generated to give it keys of its own");
        }
        return w.signingKeys().get(0).kind();
    }

    static boolean active(WebhookState.SigningKey k) {
        return WebhookState.SigningKey.ACTIVE.equals(k.status());
    }

    static WebhookState.SigningKey retired(WebhookState.SigningKey k, Instant at) {
        return new WebhookState.SigningKey(k.id(), k.kind(), WebhookState.SigningKey.RETIRED, k.publicKey(),
                k.ciphertext(), k.keyVersion(), k.createdAt(), at);
    }

    /** Every active key, and the newest retired ones. */
    static List<WebhookState.SigningKey> pruned(List<WebhookState.SigningKey> keys) {
        List<WebhookState.SigningKey> keep = keys.stream().filter(k -> !active(k))
                .sorted(Comparator.comparing(WebhookState.SigningKey::retiredAt).reversed())
                .limit(OwnSigning.MAX_RETIRED).toList();
        return keys.stream().filter(k -> active(k) || keep.contains(k)).toList();
    }

    private void requireEnvironment(String env) {
        caller.requireEnvironment(env);
        if (environments.environment(env) == null) {
            throw Caller.environmentNotFound(env);
        }
    }
}
