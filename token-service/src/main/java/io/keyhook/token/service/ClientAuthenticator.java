package io.keyhook.token.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.keyhook.core.crypto.SecretVerifier;
import io.keyhook.token.client.CredentialsLookup;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.view.CredentialView;
import io.keyhook.token.view.KnownClient;
import io.micrometer.core.instrument.Counter;
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

    private final CredentialView view;
    private final SecretVerifier verifier;
    private final CredentialsLookup lookup;
    private final AbuseLimits limits;
    private final TokenAudit audit;
    private final RefusalTally tally;
    private final MeterRegistry registry;
    private final TokenConfig config;
    private final Counter suppressed;

    ClientAuthenticator(CredentialView view, SecretVerifier verifier, CredentialsLookup lookup, AbuseLimits limits,
            TokenAudit audit, RefusalTally tally, MeterRegistry registry, TokenConfig config) {
        this.view = view;
        this.verifier = verifier;
        this.lookup = lookup;
        this.limits = limits;
        this.audit = audit;
        this.tally = tally;
        this.registry = registry;
        this.config = config;
        this.suppressed = registry.counter("keyhook.token.audit.suppressed");
    }

    /**
     * Emits the authenticated client, or fails with an {@link OAuthException} (429 when blocked, else 401).
     *
     * @param action
     *            what is audited on failure, e.g. {@code token.refused}
     */
    public Uni<Authenticated> authenticate(String clientId, String secret, String source, String action) {
        long start = System.nanoTime();
        // verify first: a correct secret is never refused because of failures somebody else made
        byte[] digest = verifier.digest(secret);
        Authenticated found = match(clientId, digest);
        if (found != null) {
            return Uni.createFrom().item(found);
        }
        try {
            limits.checkPairNotBlocked(clientId, source);
        } catch (OAuthException blocked) {
            suppressed.increment();
            return failAfterFloor(start, blocked);
        }
        KnownClient known = view.client(clientId);
        if (known != null && CredentialView.match(known, digest) != null) {
            // the secret matched but is invalidated or the client is disabled: nothing newer to learn
            return failAfterFloor(start, refuse(clientId, source, action, known,
                    known.privateKeyJwt() ? "auth_method_mismatch" : "credential_inactive"));
        }
        try {
            // a source that has failed too often may not make us ask credentials-service any more
            limits.checkSourceNotBlocked(source);
        } catch (OAuthException blocked) {
            suppressed.increment();
            limits.failed(clientId, source);
            return failAfterFloor(start, blocked);
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
     * Accounts for a refusal that came before authentication (a malformed request or client id, an unsupported grant, a
     * bad assertion) and returns the answer to give. Every 400 and 401 counts against its source's failure limit, so a
     * flood of bad requests reaches it like one of bad secrets; from a source already past its limit the answer is 429.
     * A refusal naming no client the view knows is tallied per source and reason per minute ({@link RefusalTally}), so
     * a flood writes a row a minute, not a row a request; one naming a known client is audited on its own row, up to
     * the source's limit, and past it only counted.
     */
    public OAuthException refusedBeforeAuthentication(OAuthException e, String clientId, String source, String action) {
        if (e.isAudited() || (e.status() != 400 && e.status() != 401)) {
            return e;
        }
        boolean malformed = e instanceof MalformedClientId;
        String id = malformed ? ((MalformedClientId) e).raw() : clientId;
        long blocked = limits.sourceBlockedFor(source);
        limits.failed(malformed || e.status() != 401 ? null : id, source);
        String shown = ClientIds.forAudit(id);
        KnownClient known = malformed || id == null ? null : view.client(id);
        if (known == null) {
            tally.count(source, e.error() + ":" + (malformed ? "malformed_client_id" : "before_authentication"), shown);
        } else if (blocked > 0 || limits.sourceBlocked(source)) {
            suppressed.increment();
        } else {
            audit.record(null, shown, source, action, shown, "refused", e.error());
        }
        return blocked > 0 ? OAuthException.tooMany("too many failed requests; try again later", blocked).audited() : e;
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
        AbuseLimits.Failure failure = limits.failed(clientId, source);
        registry.counter("keyhook.tokens.refused", "reason", reason).increment();
        String environment = known == null ? null : known.environment();
        String shown = ClientIds.forAudit(clientId);
        if (known == null) {
            // an id nobody has: counted per source and minute, and no alert, which would be about nobody
            tally.count(source, OAuthException.INVALID_CLIENT + ":" + reason, shown);
            return OAuthException.invalidClient().audited();
        }
        if (failure.clientAlert()) {
            // many failures for one client from anywhere: somebody is guessing at it. An alert, never a block
            registry.counter("keyhook.token.client.failure.alerts").increment();
            audit.record(environment, "keyhook", source, "client.failures_spiked", shown, "alert",
                    "failed authentications past the alert threshold");
        }
        if (failure.pairBlocked()) {
            audit.record(environment, shown, source, action, shown, "blocked", "failure_limit_reached");
        }
        audit.record(environment, shown, source, action, shown, "refused", reason);
        return OAuthException.invalidClient().audited();
    }

    private Authenticated match(String clientId, byte[] digest) {
        KnownClient client = view.client(clientId);
        if (client == null) {
            return null;
        }
        KnownClient.KnownSecret s = CredentialView.match(client, digest);
        // a private_key_jwt client proves itself with its key only, even if its record still lists a secret
        return s != null && client.active() && s.active() && !client.privateKeyJwt() ? new Authenticated(client, s)
                : null;
    }
}
