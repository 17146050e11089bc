package io.keyhook.common.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.keyhook.common.security.AdminTokenGuard;
import io.keyhook.common.security.JwsKeyId;
import io.keyhook.common.security.SigningKeyRevoked;
import io.smallrye.mutiny.Uni;

/**
 * This service's own bearer token on its calls to other Keyhook services, held in one place: issued on first use,
 * renewed at half its lifetime, and dropped at once when it can no longer work: when the signing key that signed it is
 * revoked (the {@code signing_key} record every replica reads), or when a call with it is answered 401
 * ({@link ServiceCallInterceptor} then makes the call once more with the new token). Concurrent renewals share one
 * issuance.
 */
@ApplicationScoped
public class ServiceToken {

    private static final Logger LOG = Logger.getLogger(ServiceToken.class);
    /** Used when an issuer does not say when its token expires. */
    private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    /** A token held: its header value, the key that signed it, when to renew it. */
    public record Held(String bearer, String kid, Instant renewAt) {
    }

    /** This service's issuer, looked up on first use (a service that calls no other service has none). */
    private final Supplier<ServiceTokenIssuer> issuer;
    private final AdminTokenGuard guard;
    private volatile Held held;
    private Uni<Held> renewing;

    @Inject
    public ServiceToken(Instance<ServiceTokenIssuer> issuers, AdminTokenGuard guard) {
        this(issuers::get, guard);
    }

    ServiceToken(Supplier<ServiceTokenIssuer> issuer, AdminTokenGuard guard) {
        this.issuer = issuer;
        this.guard = guard;
    }

    /** A token to call with: the one held, or a new one when none is held, it is due, or its key was revoked. */
    public Uni<Held> current() {
        Held h = held;
        if (h != null && Instant.now().isBefore(h.renewAt()) && !guard.keyRevoked(h.kid())) {
            return Uni.createFrom().item(h);
        }
        return renew(h);
    }

    /** The Authorization header value to send now, or null when no token is held. */
    public String bearer() {
        Held h = held;
        return h == null ? null : h.bearer();
    }

    /** A call made with {@code refused} was answered 401: drop it, unless it was replaced already. */
    public void refused(Held refused) {
        drop(refused, "a call with it was answered 401");
    }

    /** The key that signed the held token was revoked: drop it and get a new one now, not at the next call. */
    void onRevoked(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) SigningKeyRevoked event) {
        Held h = held;
        if (h != null && event.kid().equals(h.kid())) {
            drop(h, "its signing key was revoked");
            current().subscribe().with(ok -> LOG.infof("Service token renewed after key %s was revoked", event.kid()),
                    e -> LOG.warnf("Cannot renew the service token yet (%s): the next call will", e.toString()));
        }
    }

    private synchronized void drop(Held h, String why) {
        if (h != null && held == h) {
            held = null;
            LOG.infof("Service token dropped: %s", why);
        }
    }

    /** One issuance for every caller that finds {@code stale} held (or none). */
    private synchronized Uni<Held> renew(Held stale) {
        if (held != stale) {
            return current();
        }
        if (renewing == null) {
            renewing = Uni.createFrom().deferred(() -> issuer.get().issue()).map(this::hold).onTermination()
                    .invoke(this::renewed).memoize().indefinitely();
        }
        return renewing;
    }

    private synchronized void renewed() {
        renewing = null;
    }

    private synchronized Held hold(ServiceTokenIssuer.Issued issued) {
        Instant now = Instant.now();
        Instant expires = issued.expiresAt() != null ? issued.expiresAt() : now.plus(DEFAULT_LIFETIME);
        Held h = new Held("Bearer " + issued.accessToken(),
                Objects.requireNonNullElse(JwsKeyId.of(issued.accessToken()), ""),
                now.plus(Duration.between(now, expires).dividedBy(2)));
        held = h;
        return h;
    }
}
