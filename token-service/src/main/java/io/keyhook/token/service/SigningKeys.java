package io.keyhook.token.service;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.crypto.SecretCipher;
import io.keyhook.common.security.SigningKeyAdded;
import io.keyhook.common.security.SigningKeyRevoked;
import io.keyhook.common.security.TokenSigningAlgorithm;
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
 * The signing keys, of each algorithm in use ({@link TokenSigningAlgorithm}): stored in PostgreSQL with the private
 * half encrypted by the {@link SecretCipher} (Vault Transit in production), loaded into memory, rotated on a schedule.
 * A new key is published in the JWKS {@code publish-ahead} before it signs; a retired key stays published until every
 * token it signed has expired.
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

    private static final Uni<Void> READY = Uni.createFrom().voidItem();

    private volatile List<SigningKey> keys = List.of();
    /** Algorithms an Environment asked this replica for: kept in use (a current key each) from then on. */
    private final Set<TokenSigningAlgorithm> wanted = ConcurrentHashMap.newKeySet();
    /** The refresh making a first key of an algorithm, shared by the requests waiting for it. */
    private final Map<TokenSigningAlgorithm, CompletableFuture<Void>> making = new ConcurrentHashMap<>();
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

    /** The key that signs now with the configured algorithm ({@code keyhook.token.signing.algorithm}). */
    public SigningKey current() {
        return current(config.signing().algorithm());
    }

    /** The key that signs now with {@code algorithm}: the newest active one of it. */
    public SigningKey current(TokenSigningAlgorithm algorithm) {
        SigningKey k = currentOrNull(algorithm);
        if (k == null) {
            throw new IllegalStateException("no " + algorithm + " signing key is active");
        }
        return k;
    }

    private SigningKey currentOrNull(TokenSigningAlgorithm algorithm) {
        Instant now = Instant.now();
        for (SigningKey k : keys) {
            if (k.algorithm() == algorithm && k.signsAt(now) && !revoked.contains(k.kid())) {
                return k;
            }
        }
        return null;
    }

    /**
     * Emits once a key of {@code algorithm} signs: at once when one does (the common case, no allocation), else after
     * this replica has made one under the key-decision lock (an Environment chose an algorithm no key has yet; the
     * first key of an algorithm signs at once and is announced). Concurrent callers share one refresh.
     */
    public Uni<Void> ready(TokenSigningAlgorithm algorithm) {
        if (currentOrNull(algorithm) != null) {
            return READY;
        }
        wanted.add(algorithm);
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> shared = making.putIfAbsent(algorithm, mine);
        if (shared == null) {
            // this request makes the key; those arriving meanwhile wait for the same refresh
            LOG.infof("An Environment asks for %s tokens: making the first %s signing key", algorithm, algorithm);
            refresh(null).subscribe().with(ok -> {
                making.remove(algorithm, mine);
                mine.complete(null);
            }, e -> {
                making.remove(algorithm, mine);
                mine.completeExceptionally(e);
            });
            shared = mine;
        }
        return Uni.createFrom().completionStage(shared);
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

    /** The algorithms published keys sign with, in {@link TokenSigningAlgorithm} order. */
    public Set<TokenSigningAlgorithm> publishedAlgorithms() {
        Set<TokenSigningAlgorithm> out = EnumSet.noneOf(TokenSigningAlgorithm.class);
        published().forEach(k -> out.add(k.algorithm()));
        return out;
    }

    /**
     * Replaces the signing key of every algorithm in use (e.g. after a suspected compromise)
     * {@code keyhook.token.signing.switch-delay} from now, on every replica at the same moment; old keys stay
     * published. In the same transaction a {@code signing_key_added} record per new key is queued for
     * {@code keyhook.token-revocations}: every replica reloads its keys on it, so each publishes the new keys before
     * any signs with them. Emits the kid of the new key of the configured algorithm.
     */
    public Uni<String> rotateNow() {
        Instant now = Instant.now();
        Instant switchAt = now.plus(config.signing().switchDelay());
        TokenSigningAlgorithm main = config.signing().algorithm();
        String[] created = { null };
        return underLock(conn -> repository.published(conn, now)
                .chain(rows -> apply(conn, rows, now, a -> switchAt).chain(added -> {
                    Uni<Void> queued = Uni.createFrom().voidItem();
                    for (Created c : added) {
                        if (c.algorithm() == main) {
                            created[0] = c.kid();
                        }
                        if (!c.announced()) {
                            queued = queued.chain(
                                    () -> RevocationRepository.queue(conn, revocations.signingKeyAdded(c.kid(), now)));
                        }
                    }
                    return queued;
                }))).chain(() -> repository.published(now)).chain(this::load).map(ignored -> created[0]);
    }

    /** Another replica added a key (an emergency rotation): load it now, to publish it before it signs. */
    void onAdded(@Observes SigningKeyAdded event) {
        refresh(null).subscribe().with(ok -> LOG.infof("Keys reloaded: %s was added", event.kid()),
                e -> LOG.warnf("Cannot reload keys after %s was added: %s", event.kid(), e.toString()));
    }

    /**
     * Revokes a key in an emergency: in one transaction it leaves the table's published keys, a new key of its
     * algorithm signs from now on when it was the signer (announced by a {@code signing_key_added} record), and a
     * {@code signing_key} record is queued for {@code keyhook.token-revocations}. Every replica reads that record
     * within a second, stops signing with the key and drops it from its JWKS; every service refuses admin tokens it
     * signed. Emits false when no published key has this kid.
     */
    public Uni<Boolean> revokeNow(String kid) {
        Instant now = Instant.now();
        SigningKey held = keys.stream().filter(k -> k.kid().equals(kid)).findFirst().orElse(null);
        TokenSigningAlgorithm replaced = held != null && held.signsAt(now) ? held.algorithm() : null;
        if (replaced != null) {
            // its algorithm stays in use even when the revoked key was its only one: a successor signs at once
            wanted.add(replaced);
        }
        return underLock(conn -> repository.revoke(conn, kid, now).chain(found -> {
            if (!found) {
                return Uni.createFrom().item(false);
            }
            // the key that replaces a revoked signer signs at once (nothing else may sign); every resource server
            // fetches its JWKS until it carries the key, so tokens of the new key are not refused anywhere
            return RevocationRepository.queue(conn, revocations.signingKeyRevoked(kid, now))
                    .chain(() -> repository.published(conn, now))
                    .chain(rows -> apply(conn, rows, now, a -> a == replaced ? now : null)).replaceWith(true);
        })).call(found -> {
            if (!found) {
                return Uni.createFrom().voidItem();
            }
            revoked.add(kid);
            LOG.warnf("Signing key %s revoked", kid);
            return repository.published(now).chain(this::load);
        });
    }

    /** Another replica revoked a key: stop using it now, and load the key that replaced it. */
    void onRevoked(@Observes SigningKeyRevoked event) {
        if (revoked.add(event.kid())) {
            refresh(null).subscribe().with(ok -> LOG.infof("Keys reloaded after %s was revoked", event.kid()),
                    e -> LOG.warnf("Cannot reload keys after %s was revoked: %s", event.kid(), e.toString()));
        }
    }

    /**
     * Brings the table up to date under the lock (first key of each algorithm in use, scheduled rotation, retirement)
     * and reloads the keys.
     */
    Uni<Void> refresh(Instant switchAt) {
        Instant now = Instant.now();
        return underLock(conn -> repository.published(conn, now)
                .chain(rows -> apply(conn, rows, now, a -> switchAt).replaceWithVoid()))
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

    /** A key made by {@link #apply}. */
    private record Created(String kid, TokenSigningAlgorithm algorithm, boolean announced) {
    }

    /**
     * The {@link KeySchedule} of each algorithm in use, applied to its own keys: the configured one, any an Environment
     * asked this replica for, and any that still has a key signing (so a key of an algorithm is rotated, never left to
     * age, however replicas' views of the Environments differ). A key that signs at once while other keys are published
     * (the first of an algorithm, a revoked signer's successor) is announced, so every replica and admin API loads it
     * before a token of it arrives. Emits the keys made.
     */
    private Uni<List<Created>> apply(SqlConnection conn, List<SigningKeyRow> rows, Instant now,
            Function<TokenSigningAlgorithm, Instant> switchAt) {
        Set<TokenSigningAlgorithm> inUse = EnumSet.of(config.signing().algorithm());
        inUse.addAll(wanted);
        for (SigningKeyRow r : rows) {
            TokenSigningAlgorithm a = TokenSigningAlgorithm.parse(r.algorithm());
            if (a != null && (r.retireAt() == null || r.retireAt().isAfter(now))) {
                inUse.add(a);
            }
        }
        List<Created> created = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (TokenSigningAlgorithm a : inUse) {
            List<SigningKeyRow> mine = rows.stream().filter(r -> a.name().equals(r.algorithm())).toList();
            KeySchedule.Plan plan = schedule().plan(mine, now, switchAt.apply(a));
            if (plan.newKeySignsFrom() != null) {
                boolean announce = !plan.newKeySignsFrom().isAfter(now)
                        && (!rows.isEmpty() || switchAt.apply(a) != null);
                chain = chain.chain(() -> create(conn, a, now, plan.newKeySignsFrom()).chain(kid -> {
                    created.add(new Created(kid, a, announce));
                    return announce ? RevocationRepository.queue(conn, revocations.signingKeyAdded(kid, now))
                            : Uni.createFrom().voidItem();
                }));
            }
            chain = chain.chain(() -> retire(conn, plan));
        }
        return chain.map(ignored -> created);
    }

    private Uni<Void> retire(SqlConnection conn, KeySchedule.Plan plan) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (KeySchedule.Retirement r : plan.retirements()) {
            chain = chain.chain(() -> repository.retire(conn, r.kid(), r.at(), r.expiresAt()));
        }
        return chain;
    }

    private Uni<String> create(SqlConnection conn, TokenSigningAlgorithm algorithm, Instant now, Instant activateAt) {
        KeyMaterial key = KeyMaterial.generate(algorithm, config.signing().rsaKeySize());
        String kid = SecretGenerator.newId("k");
        byte[] raw = key.privateEncoded();
        byte[] encodedPriv = Base64.getEncoder().encode(raw);
        Arrays.fill(raw, (byte) 0);
        return cipher.encrypt(CIPHER_CONTEXT, encodedPriv).chain(ciphertext -> {
            Arrays.fill(encodedPriv, (byte) 0);
            var row = new SigningKeyRow(kid, algorithm.name(), key.publicEncoded(), ciphertext, now, activateAt, null,
                    null);
            LOG.infof("New %s signing key %s, signing from %s", algorithm, kid, activateAt);
            return repository.insert(conn, row).replaceWith(kid);
        });
    }

    private Uni<Void> load(List<SigningKeyRow> rows) {
        List<Uni<SigningKey>> loads = new ArrayList<>();
        for (SigningKeyRow r : rows) {
            TokenSigningAlgorithm algorithm = TokenSigningAlgorithm.parse(r.algorithm());
            if (algorithm == null) {
                LOG.warnf("Signing key %s has an unknown algorithm %s; not loaded", r.kid(), r.algorithm());
                continue;
            }
            SigningKey known = keys.stream().filter(k -> k.kid().equals(r.kid())).findFirst().orElse(null);
            if (known != null) {
                loads.add(Uni.createFrom()
                        .item(SigningKey.of(r.kid(), known.material(), r.activateAt(), r.retireAt(), r.expiresAt())));
            } else {
                loads.add(cipher.decrypt(CIPHER_CONTEXT, r.privateCiphertext()).map(plain -> {
                    byte[] priv = Base64.getDecoder().decode(new String(plain, StandardCharsets.US_ASCII));
                    Arrays.fill(plain, (byte) 0);
                    return SigningKey.of(r.kid(), KeyMaterial.load(algorithm, priv, r.publicKey()), r.activateAt(),
                            r.retireAt(), r.expiresAt());
                }));
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
