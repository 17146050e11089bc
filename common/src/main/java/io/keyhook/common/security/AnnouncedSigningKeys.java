package io.keyhook.common.security;

import java.security.Key;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jose4j.http.Get;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

import io.keyhook.common.config.AdminTokensConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;

/**
 * The keys that verify admin tokens, from the JWKS at {@code mp.jwt.verify.publickey.location} (token-service's by
 * default), kept current so that no correctly signed token is refused while keys change:
 * <ul>
 * <li>token-service announces every key it adds outside the schedule ({@code signing_key_added} on
 * {@code keyhook.token-revocations}, which {@link AdminTokenGuard} reads) before it signs with it: the JWKS is fetched
 * again until it carries that key ({@code announced-key-wait});</li>
 * <li>a revoked key ({@code signing_key}): fetched again, so the key that replaces it is known (the guard refuses the
 * revoked key's tokens by itself);</li>
 * <li>a token naming a key not held: fetched again at once, at most once per {@code unknown-key-refetch-interval}
 * (made-up key ids must not turn into a flood of fetches);</li>
 * <li>otherwise every {@code smallrye.jwt.jwks.refresh-interval} minutes.</li>
 * </ul>
 * SmallRye JWT's own resolver refetches on an unknown key at most once per {@code forced-refresh-interval} minutes, so
 * a fresh token of a new key could be refused for that long. Used for http(s) locations without custom TLS settings;
 * any other location keeps SmallRye's resolver. A failed fetch keeps the keys held.
 */
@ApplicationScoped
public class AnnouncedSigningKeys implements VerificationKeyResolver {

    private static final Logger LOG = Logger.getLogger(AnnouncedSigningKeys.class);

    /** What one fetch returned, and when that fetch started (nanoTime). */
    private record Snapshot(List<JsonWebKey> keys, long fetchStartedAt) {
    }

    private final AdminTokensConfig.Keys config;
    private final Object fetching = new Object();
    /** Announced kids not in the JWKS yet → until when to keep fetching for them (nanoTime). */
    private final Map<String, Long> awaited = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot;
    /** The JWKS this service trusts, when it is one this class serves. */
    private final String location;
    private volatile long refreshNanos = TimeUnit.MINUTES.toNanos(10);
    private volatile ScheduledExecutorService poller;

    /** {@code jwt} is SmallRye JWT's own reading of {@code mp.jwt.verify.*}: the location is taken from there. */
    @Inject
    public AnnouncedSigningKeys(AdminTokensConfig config, JWTAuthContextInfo jwt) {
        this(config.keys(), jwt.getPublicKeyLocation());
    }

    /**
     * @param location
     *            the JWKS this service trusts (served only when it is http or https)
     */
    AnnouncedSigningKeys(AdminTokensConfig.Keys config, String location) {
        this.config = config;
        this.location = location != null && (location.startsWith("http://") || location.startsWith("https://"))
                ? location : null;
    }

    /** Whether this resolver serves the tokens of {@code info} (an http(s) JWKS without custom TLS settings). */
    public boolean serves(JWTAuthContextInfo info) {
        if (location == null || !location.equals(info.getPublicKeyLocation()) || info.getTlsCertificate() != null
                || info.getTlsCertificatePath() != null || info.isTlsTrustAll()
                || info.getPublicVerificationKey() != null) {
            return false;
        }
        if (info.getJwksRefreshInterval() != null && info.getJwksRefreshInterval() > 0) {
            refreshNanos = TimeUnit.MINUTES.toNanos(info.getJwksRefreshInterval());
        }
        return true;
    }

    @Override
    public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nestingContext) throws UnresolvableKeyException {
        String kid = jws.getKeyIdHeaderValue();
        Snapshot s = snapshot;
        long now = System.nanoTime();
        if (s == null || now - s.fetchStartedAt() > refreshNanos) {
            s = fetch(now);
        }
        JsonWebKey key = select(s, kid);
        if (key == null && (awaited.containsKey(kid)
                || now - s.fetchStartedAt() >= config.unknownKeyRefetchInterval().toNanos())) {
            key = select(fetch(now), kid);
        }
        if (key == null && awaited.containsKey(kid)) {
            key = awaitAnnounced(kid, now);
        }
        if (key == null) {
            throw new UnresolvableKeyException("no key in the JWKS for kid " + kid);
        }
        return key.getKey();
    }

    /**
     * A token of a key token-service has announced but the JWKS does not carry yet: with several token-service
     * replicas, the one that made the key signs with it while a fetch may still reach another that has not loaded it
     * (tens of milliseconds). The request waits for the key, fetching every {@code announced-key-poll}, at most
     * {@code announced-key-request-wait}. Only announced kids wait (they come from the suite's own topic), so a made-up
     * kid is never held up.
     */
    private JsonWebKey awaitAnnounced(String kid, long since) {
        long deadline = since + config.announcedKeyRequestWait().toNanos();
        while (System.nanoTime() - deadline < 0) {
            Snapshot held = snapshot;
            if (held != null && select(held, kid) != null) {
                return select(held, kid); // the background poll found it
            }
            if (!awaited.containsKey(kid)) {
                return null; // its wait is over
            }
            try {
                Thread.sleep(config.announcedKeyPoll().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            JsonWebKey key = select(fetch(System.nanoTime()), kid);
            if (key != null) {
                return key;
            }
        }
        return null;
    }

    /** Whether the keys held now include {@code kid} (no fetch). */
    public boolean holds(String kid) {
        Snapshot s = snapshot;
        return s != null && select(s, kid) != null;
    }

    /** token-service added a key: fetch until the JWKS carries it, so its first token is not refused. */
    void onAdded(@Observes SigningKeyAdded event) {
        awaited.put(event.kid(), System.nanoTime() + config.announcedKeyWait().toNanos());
        poll();
    }

    /** A key was revoked: fetch again, for the key that replaces it. */
    void onRevoked(@Observes SigningKeyRevoked event) {
        awaited.remove(event.kid());
        if (location != null) {
            poller().execute(() -> fetch(System.nanoTime()));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        ScheduledExecutorService p = poller;
        if (p != null) {
            p.shutdownNow();
        }
    }

    /** Fetches until every awaited kid is held or its wait is over; one poll at a time. */
    private void poll() {
        if (location == null) {
            return;
        }
        poller().execute(() -> {
            if (awaited.isEmpty()) {
                return;
            }
            Snapshot s = fetch(System.nanoTime());
            long now = System.nanoTime();
            awaited.entrySet().removeIf(e -> select(s, e.getKey()) != null || now - e.getValue() > 0);
            if (!awaited.isEmpty()) {
                poller().schedule(this::poll, config.announcedKeyPoll().toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private ScheduledExecutorService poller() {
        ScheduledExecutorService p = poller;
        if (p == null) {
            synchronized (this) {
                if (poller == null) {
                    poller = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "keyhook-jwks");
                        t.setDaemon(true);
                        return t;
                    });
                }
                p = poller;
            }
        }
        return p;
    }

    /**
     * The keys from a fetch that started at or after {@code requestedAt}: callers that ask at the same time share one
     * fetch. On failure, the keys held (empty if none).
     */
    private Snapshot fetch(long requestedAt) {
        synchronized (fetching) {
            Snapshot s = snapshot;
            if (s != null && s.fetchStartedAt() - requestedAt >= 0) {
                return s;
            }
            long started = System.nanoTime();
            try {
                Get get = new Get();
                int timeout = (int) config.fetchTimeout().toMillis();
                get.setConnectTimeout(timeout);
                get.setReadTimeout(timeout);
                List<JsonWebKey> keys = new JsonWebKeySet(get.get(location).getBody()).getJsonWebKeys();
                snapshot = new Snapshot(List.copyOf(keys), started);
            } catch (Exception e) {
                LOG.warnf("Cannot fetch the JWKS at %s (%s); keeping the keys held", location, e.toString());
                snapshot = new Snapshot(s == null ? List.of() : s.keys(), started);
            }
            return snapshot;
        }
    }

    /** The signature key with this kid; with no kid, the only signature key there is. */
    private static JsonWebKey select(Snapshot s, String kid) {
        JsonWebKey only = null;
        int signing = 0;
        for (JsonWebKey k : s.keys()) {
            if (k.getUse() != null && !"sig".equals(k.getUse())) {
                continue;
            }
            if (kid != null && kid.equals(k.getKeyId())) {
                return k;
            }
            signing++;
            only = k;
        }
        return kid == null && signing == 1 ? only : null;
    }
}
