package io.keyhook.token.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.crypto.SecretVerifier;
import io.keyhook.token.client.CredentialsLookup;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.view.CredentialView;
import io.keyhook.token.view.KnownClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Authenticates a client by id and secret against the local view. "Unknown client" and "wrong secret" take the same
 * path — hash the presented secret, compare with every stored verifier of the client, ask credentials-service once,
 * compare again — so their timing does not tell an attacker which client ids exist. All failures look alike to the
 * caller: 401 {@code invalid_client}.
 */
@ApplicationScoped
public class ClientAuthenticator {

    private static final Logger LOG = Logger.getLogger(ClientAuthenticator.class);

    @Inject
    CredentialView view;

    @Inject
    SecretVerifier verifier;

    @Inject
    CredentialsLookup lookup;

    @Inject
    AbuseLimits limits;

    @Inject
    TokenAudit audit;

    @Inject
    MeterRegistry registry;

    @Inject
    TokenConfig config;

    /**
     * Emits the authenticated client, or fails with an {@link OAuthException} (429 when blocked, else 401).
     *
     * @param action
     *            what is audited on failure, e.g. {@code token.refused}
     */
    public Uni<Authenticated> authenticate(String clientId, String secret, String source, String action) {
        long start = System.nanoTime();
        limits.checkNotBlocked(clientId, source);
        byte[] digest = verifier.digest(secret);
        Authenticated found = match(clientId, digest);
        if (found != null) {
            return Uni.createFrom().item(found);
        }
        KnownClient known = view.client(clientId);
        if (known != null && CredentialView.match(known, digest) != null) {
            // the secret matched but is invalidated or the client is disabled: nothing newer to learn
            return failAfterFloor(start, refuse(clientId, source, action, known, "credential_inactive"));
        }
        return lookup.refresh(clientId).chain(ignored -> {
            Authenticated again = match(clientId, digest);
            if (again == null) {
                return failAfterFloor(start,
                        refuse(clientId, source, action, view.client(clientId), "bad_credentials"));
            }
            return Uni.createFrom().item(again);
        });
    }

    /**
     * Fails no sooner than {@code keyhook.token.failure-floor} after {@code startNanos}: whatever a failure cost (a
     * lookup of a known client reads more than one of an unknown id), every failure takes the same time, so timing
     * tells an attacker nothing. The wait is a timer, not a blocked thread.
     */
    public <T> Uni<T> failAfterFloor(long startNanos, Throwable failure) {
        long remaining = config.failureFloor().toNanos() - (System.nanoTime() - startNanos);
        Uni<T> failed = Uni.createFrom().failure(failure);
        // Vert.x timers take whole milliseconds (a delay under 1 ms is refused): round up
        long millis = (remaining + 999_999) / 1_000_000;
        return remaining <= 0 ? failed
                : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(millis)).chain(() -> failed);
    }

    /** Records a failure against the limits and the audit log and builds the 401. */
    public OAuthException refuse(String clientId, String source, String action, KnownClient known, String reason) {
        LOG.debugf("Refused client %s from %s: %s", clientId, source, reason);
        limits.failed(clientId, source);
        registry.counter("keyhook.tokens.refused", "reason", reason).increment();
        audit.record(known == null ? null : known.environment(), clientId, source, action, clientId, "refused", reason);
        return OAuthException.invalidClient().audited();
    }

    private Authenticated match(String clientId, byte[] digest) {
        KnownClient client = view.client(clientId);
        if (client == null) {
            return null;
        }
        KnownClient.KnownSecret s = CredentialView.match(client, digest);
        return s != null && client.active() && s.active() ? new Authenticated(client, s) : null;
    }
}
