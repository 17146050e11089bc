package io.keyhook.token.service;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.contract.RevocationRecord;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.messaging.RevocationOutbox;
import io.keyhook.token.persistence.RevocationRepository;
import io.keyhook.token.persistence.UsedAssertionRepository;
import io.keyhook.token.view.CredentialView;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Revocation. A secret that stops being honoured (invalidated, client disabled or deleted) revokes every token issued
 * under it at once — introspection reads the view, not a list — and queues one record for
 * {@code keyhook.token-revocations}. Single tokens are revoked by RFC 7009. Both are audited.
 */
@ApplicationScoped
public class Revocations {

    private static final Logger LOG = Logger.getLogger(Revocations.class);

    @Inject
    RevocationRepository repository;

    @Inject
    Pool pool;

    @Inject
    UsedAssertionRepository usedAssertions;

    @Inject
    TokenAudit audit;

    @Inject
    TokenConfig config;

    @Inject
    RevocationOutbox outbox;

    /** Secret revocations not yet stored (PostgreSQL was down): retried every second. */
    private final ConcurrentLinkedQueue<CredentialView.Revoked> unsaved = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unsavedCount = new AtomicInteger();

    @Inject
    void listen(CredentialView view, MeterRegistry registry) {
        registry.gauge("keyhook.token.revocations.unsaved", unsavedCount);
        view.onRevoked(r -> {
            unsaved.add(r);
            unsavedCount.incrementAndGet();
        });
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void saveQueued() {
        CredentialView.Revoked r;
        while ((r = unsaved.peek()) != null) {
            try {
                CredentialView.Revoked next = r;
                Instant at = Instant.now();
                boolean fresh = pool
                        .withTransaction(conn -> repository.secretRevoked(conn, next.secretId(), next.clientId(),
                                next.environment(), next.reason(), at, record(RevocationRecord.secret(next.secretId(),
                                        next.clientId(), next.environment(), next.reason(), at))))
                        .await().atMost(Duration.ofSeconds(10));
                if (fresh) {
                    audit.record(next.environment(), "credentials-service", null, "secret.revoked", next.secretId(),
                            "revoked", next.reason());
                    LOG.infof("Tokens of secret %s (client %s) revoked: %s", next.secretId(), next.clientId(),
                            next.reason());
                }
                unsaved.poll();
                unsavedCount.decrementAndGet();
            } catch (RuntimeException e) {
                LOG.debugf("Cannot store revocations yet: %s", e.toString());
                return;
            }
        }
    }

    /** RFC 7009 for one token; emits false when it had been revoked already. */
    public Uni<Boolean> revoke(AccessToken token, String caller, String source) {
        Instant at = Instant.now();
        return pool
                .withTransaction(conn -> repository.tokenRevoked(conn, token.jti(), token.clientId(), token.secretId(),
                        token.environment(), token.expiresAt(), at, record(RevocationRecord.token(token.jti(),
                                token.secretId(), token.clientId(), token.environment(), at, token.expiresAt()))))
                .invoke(fresh -> {
                    if (fresh) {
                        audit.record(token.environment(), caller, source, "token.revoked", token.jti(), "revoked",
                                "revoked_by_client");
                    }
                });
    }

    private RevocationRepository.Outgoing record(RevocationRecord r) {
        return new RevocationRepository.Outgoing(outbox.topic(), r.secretId(), outbox.payload(r));
    }

    /** The record that tells every replica and service a signing key was revoked (key = kid). */
    public RevocationRepository.Outgoing signingKeyRevoked(String kid, Instant at) {
        return new RevocationRepository.Outgoing(outbox.topic(), kid,
                outbox.payload(RevocationRecord.signingKeyRevoked(kid, at)));
    }

    /**
     * The record that tells every token-service replica a key was added outside the schedule (an emergency rotation or
     * revocation; key = kid): each reloads its keys and publishes it, and every resource server fetches its JWKS until
     * it carries the key.
     */
    public RevocationRepository.Outgoing signingKeyAdded(String kid, Instant at) {
        return new RevocationRepository.Outgoing(outbox.topic(), kid,
                outbox.payload(RevocationRecord.signingKeyAdded(kid, at)));
    }

    public Uni<Boolean> isRevoked(String jti) {
        return repository.isRevoked(jti);
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetExpired() {
        Instant now = Instant.now();
        return repository.deleteExpired(now.minus(config.clockSkew()), now.minus(Duration.ofDays(7)))
                .chain(() -> usedAssertions.deleteExpired(now.minus(config.clockSkew()))).replaceWithVoid().onFailure()
                .recoverWithNull();
    }
}
