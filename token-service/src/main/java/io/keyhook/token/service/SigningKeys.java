package io.keyhook.token.service;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.jboss.logging.Logger;

import io.keyhook.common.crypto.SecretCipher;
import io.keyhook.common.security.SigningKeyAdded;
import io.keyhook.common.security.SigningKeyRevoked;
import io.keyhook.core.concurrent.BackgroundLoop;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.persistence.RevocationRepository;
import io.keyhook.token.persistence.SigningKeyRepository;
import io.keyhook.token.persistence.SigningKeyRow;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The signing keys: stored in PostgreSQL with the private half encrypted by the {@link SecretCipher} (Vault Transit in
 * production), loaded into memory, rotated on a schedule. A new key is published in the JWKS {@code publish-ahead}
 * before it signs; a retired key stays published until every token it signed has expired.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    /** SecretCipher context of signing keys: not an Environment id, so no client secret shares it. */
    static final String CIPHER_CONTEXT = "_signing";

    @Inject
    TokenConfig config;

    @Inject
    SigningKeyRepository repository;

    @Inject
    Pool pool;

    @Inject
    SecretCipher cipher;

    @Inject
    Revocations revocations;

    private volatile List<SigningKey> keys = List.of();
    /** Keys revoked in an emergency, by this replica or (through the revocations topic) another. */
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private BackgroundLoop loop;

    /**
     * Seconds the current key has been signing, or -1 with no active key: past {@code signing.rotation-interval} the
     * rotation is stuck (the KeyhookSigningKeyOverdue alert).
     */
    @Inject
    void gauges(MeterRegistry registry) {
        registry.gauge("keyhook.token.signing.key.age.seconds", this, SigningKeys::currentKeyAgeSeconds);
        registry.gauge("keyhook.token.signing.rotation.interval.seconds", this,
                k -> k.config.signing().rotationInterval().toSeconds());
    }

    double currentKeyAgeSeconds() {
        try {
            return Duration.between(current().activateAt(), Instant.now()).toSeconds();
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    void start(@Observes StartupEvent event) {
        refresh(null).await().atMost(Duration.ofSeconds(60));
        Duration every = config.signing().checkInterval();
        loop = BackgroundLoop.start("keyhook-signing-keys", every, every, () -> {
            try {
                refresh(null).await().atMost(Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                LOG.warnf("Signing key check failed (%s); keeping the keys in memory", e.toString());
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
    }

    /** The key that signs now: the newest active one. */
    public SigningKey current() {
        Instant now = Instant.now();
        for (SigningKey k : keys) {
            if (k.signsAt(now) && !revoked.contains(k.kid())) {
                return k;
            }
        }
        throw new IllegalStateException("no signing key is active");
    }

    /** Published keys, newest first. */
    public List<SigningKey> published() {
        Instant now = Instant.now();
        return keys.stream().filter(k -> k.publishedAt(now) && !revoked.contains(k.kid())).toList();
    }

    /** The published key with this kid, or null. */
    public SigningKey byKid(String kid) {
        for (SigningKey k : published()) {
            if (k.kid().equals(kid)) {
                return k;
            }
        }
        return null;
    }

    /**
     * Replaces the signing key (e.g. after a suspected compromise) {@code keyhook.token.signing.switch-delay} from now,
     * on every replica at the same moment; old keys stay published. In the same transaction a {@code signing_key_added}
     * record is queued for {@code keyhook.token-revocations}: every replica reloads its keys on it, so each publishes
     * the new key before any signs with it. Emits the new key's kid.
     */
    public Uni<String> rotateNow() {
        Instant now = Instant.now();
        Instant switchAt = now.plus(config.signing().switchDelay());
        String[] created = { null };
        return underLock(conn -> repository.published(conn, now).chain(rows -> {
            KeySchedule.Plan plan = schedule().plan(rows, now, switchAt);
            return create(conn, now, plan.newKeySignsFrom()).invoke(kid -> created[0] = kid)
                    .chain(kid -> retire(conn, plan))
                    .chain(() -> RevocationRepository.queue(conn, revocations.signingKeyAdded(created[0], now)));
        })).chain(() -> repository.published(now)).chain(this::load).map(ignored -> created[0]);
    }

    /** Another replica added a key (an emergency rotation): load it now, to publish it before it signs. */
    void onAdded(@Observes SigningKeyAdded event) {
        refresh(null).subscribe().with(ok -> LOG.infof("Keys reloaded: %s was added", event.kid()),
                e -> LOG.warnf("Cannot reload keys after %s was added: %s", event.kid(), e.toString()));
    }

    /**
     * Revokes a key in an emergency: in one transaction it leaves the table's published keys, a new key signs from now
     * on when it was the signer (announced by a {@code signing_key_added} record), and a {@code signing_key} record is
     * queued for {@code keyhook.token-revocations}. Every replica reads that record within a second, stops signing with
     * the key and drops it from its JWKS; every service refuses admin tokens it signed. Emits false when no published
     * key has this kid.
     */
    public Uni<Boolean> revokeNow(String kid) {
        Instant now = Instant.now();
        boolean wasSigning = keys.stream().anyMatch(k -> k.kid().equals(kid) && k.signsAt(now));
        return underLock(conn -> repository.revoke(conn, kid, now).chain(found -> {
            if (!found) {
                return Uni.createFrom().item(false);
            }
            return RevocationRepository.queue(conn, revocations.signingKeyRevoked(kid, now))
                    .chain(() -> repository.published(conn, now))
                    .chain(rows -> wasSigning ? replaceSigner(conn, rows, now) : decide(conn, rows, now, null))
                    .replaceWith(true);
        })).call(found -> {
            if (!found) {
                return Uni.createFrom().voidItem();
            }
            revoked.add(kid);
            LOG.warnf("Signing key %s revoked", kid);
            return repository.published(now).chain(this::load);
        });
    }

    /**
     * The key that replaces a revoked signer signs at once (nothing else may sign), and is announced with a
     * {@code signing_key_added} record queued with the revocation: other replicas load it, and every resource server
     * fetches its JWKS until it carries the key, so tokens of the new key are not refused anywhere.
     */
    private Uni<Void> replaceSigner(SqlConnection conn, List<SigningKeyRow> rows, Instant now) {
        KeySchedule.Plan plan = schedule().plan(rows, now, now);
        return create(conn, now, plan.newKeySignsFrom()).call(() -> retire(conn, plan))
                .chain(added -> RevocationRepository.queue(conn, revocations.signingKeyAdded(added, now)));
    }

    /** Another replica revoked a key: stop using it now, and load the key that replaced it. */
    void onRevoked(@Observes SigningKeyRevoked event) {
        if (revoked.add(event.kid())) {
            refresh(null).subscribe().with(ok -> LOG.infof("Keys reloaded after %s was revoked", event.kid()),
                    e -> LOG.warnf("Cannot reload keys after %s was revoked: %s", event.kid(), e.toString()));
        }
    }

    /**
     * Brings the table up to date under the lock (first key, scheduled rotation, retirement) and reloads the keys.
     */
    Uni<Void> refresh(Instant switchAt) {
        Instant now = Instant.now();
        return underLock(conn -> repository.published(conn, now).chain(rows -> decide(conn, rows, now, switchAt)))
                .chain(() -> repository.published(now)).chain(this::load);
    }

    /**
     * Runs {@code work} in one transaction holding the key-decision lock, so replicas do not each add a key. The work
     * sees and changes the table through the connection it is given.
     */
    private <T> Uni<T> underLock(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(conn -> repository.lock(conn).chain(() -> work.apply(conn)));
    }

    private KeySchedule schedule() {
        Duration maxLifetime = max(config.accessTokenLifetime(), config.adminTokenLifetime()).plus(config.clockSkew());
        return new KeySchedule(config.signing().rotationInterval(), config.signing().publishAhead(), maxLifetime);
    }

    private Uni<Void> decide(SqlConnection conn, List<SigningKeyRow> rows, Instant now, Instant switchAt) {
        KeySchedule.Plan plan = schedule().plan(rows, now, switchAt);
        Uni<Void> created = plan.newKeySignsFrom() == null ? Uni.createFrom().voidItem()
                : create(conn, now, plan.newKeySignsFrom()).replaceWithVoid();
        return created.chain(() -> retire(conn, plan));
    }

    private Uni<Void> retire(SqlConnection conn, KeySchedule.Plan plan) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (KeySchedule.Retirement r : plan.retirements()) {
            chain = chain.chain(() -> repository.retire(conn, r.kid(), r.at(), r.expiresAt()));
        }
        return chain;
    }

    private Uni<String> create(SqlConnection conn, Instant now, Instant activateAt) {
        Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(new SecureRandom());
        String kid = SecretGenerator.newId("k");
        byte[] encodedPriv = Base64.getEncoder().encode(priv.getEncoded());
        return cipher.encrypt(CIPHER_CONTEXT, encodedPriv).chain(ciphertext -> {
            Arrays.fill(encodedPriv, (byte) 0);
            var row = new SigningKeyRow(kid, SigningKey.ALGORITHM,
                    Base64.getUrlEncoder().withoutPadding().encodeToString(priv.generatePublicKey().getEncoded()),
                    ciphertext, now, activateAt, null, null);
            LOG.infof("New signing key %s, signing from %s", kid, activateAt);
            return repository.insert(conn, row).replaceWith(kid);
        });
    }

    private Uni<Void> load(List<SigningKeyRow> rows) {
        List<Uni<SigningKey>> loads = new ArrayList<>();
        for (SigningKeyRow r : rows) {
            SigningKey known = keys.stream().filter(k -> k.kid().equals(r.kid())).findFirst().orElse(null);
            if (known != null) {
                loads.add(Uni.createFrom().item(SigningKey.of(r.kid(), known.privateKey().getEncoded(), r.activateAt(),
                        r.retireAt(), r.expiresAt())));
            } else {
                loads.add(cipher.decrypt(CIPHER_CONTEXT, r.privateCiphertext())
                        .map(plain -> SigningKey.of(r.kid(),
                                Base64.getDecoder().decode(new String(plain, StandardCharsets.US_ASCII)),
                                r.activateAt(), r.retireAt(), r.expiresAt())));
            }
        }
        if (loads.isEmpty()) {
            keys = List.of();
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(loads).andFailFast().invoke(loaded -> keys = List.copyOf(loaded)).replaceWithVoid();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
