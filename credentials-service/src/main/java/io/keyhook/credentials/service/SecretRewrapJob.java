package io.keyhook.credentials.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.crypto.SecretCipher;
import io.keyhook.credentials.persistence.ClientRepository;
import io.keyhook.credentials.persistence.SecretEntity;
import io.keyhook.credentials.persistence.SecretRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Moves ciphertexts to the newest key version after a key rotation, in small batches, and republishes the affected
 * clients so consumers get the new ciphertexts.
 */
@ApplicationScoped
public class SecretRewrapJob {

    private static final Logger LOG = Logger.getLogger(SecretRewrapJob.class);
    private static final int BATCH = 100;

    @Inject
    SecretCipher cipher;

    @Inject
    SecretRepository secrets;

    @Inject
    ClientRepository clients;

    @Inject
    ClientLookup lookup;

    @Scheduled(every = "${keyhook.credentials.rewrap-interval:10m}", delayed = "${keyhook.credentials.rewrap-delay:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return rewrapAll().onFailure().invoke(e -> LOG.warnf("Rewrap round failed: %s", e.toString())).onFailure()
                .recoverWithNull().replaceWithVoid();
    }

    /** Rotates the key, then rewraps everything; returns the number of secrets moved. */
    public Uni<Integer> rotateAndRewrap() {
        return cipher.rotate().chain(this::rewrapAll);
    }

    public Uni<Integer> rewrapAll() {
        return cipher.currentKeyVersion().chain(version -> rewrapFrom(version, 0));
    }

    private Uni<Integer> rewrapFrom(int version, int done) {
        return Panache
                .withTransaction(() -> secrets.olderThanKeyVersion(cipher.ciphertextPrefix(), version, BATCH)
                        .chain(batch -> Multi.createFrom().iterable(batch).onItem()
                                .transformToUniAndConcatenate(s -> rewrap(s)).collect().asList()
                                .call(() -> republish(batch)).map(x -> batch.size())))
                .chain(n -> n == BATCH ? rewrapFrom(version, done + n) : Uni.createFrom().item(done + n));
    }

    private Uni<SecretEntity> rewrap(SecretEntity s) {
        return clients.findById(s.clientId).chain(c -> cipher.rewrap(SecretFactory.contextOf(c), s.ciphertext))
                .map(ct -> {
                    s.ciphertext = ct;
                    s.keyVersion = SecretCipher.keyVersionOf(ct);
                    return s;
                });
    }

    private Uni<Void> republish(List<SecretEntity> batch) {
        return Multi.createFrom().iterable(batch.stream().map(s -> s.clientId).distinct().toList()).onItem()
                .transformToUniAndConcatenate(id -> clients.findById(id).chain(lookup::publish)).collect().asList()
                .replaceWithVoid();
    }
}
