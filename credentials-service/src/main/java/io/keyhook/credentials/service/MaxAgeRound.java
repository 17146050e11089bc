package io.keyhook.credentials.service;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BiFunction;

import org.jboss.logging.Logger;

import io.keyhook.credentials.persistence.EnvironmentEntity;
import io.keyhook.credentials.persistence.EnvironmentRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The round the maximum-age jobs (secrets, keys) share: every Environment with a maximum age in turn, with its two
 * cut-offs; one Environment's failure is logged and does not stop the others'.
 */
final class MaxAgeRound {

    /** Older than {@code flagBefore}: flagged; older than {@code expireBefore} (the grace past it): expired. */
    record Cutoffs(Instant flagBefore, Instant expireBefore) {

        static Cutoffs of(EnvironmentEntity e, Instant now) {
            Instant flagBefore = now.minus(Duration.ofDays(e.secretMaxAgeDays));
            return new Cutoffs(flagBefore, flagBefore.minus(Duration.ofDays(e.secretExpiryGraceDays)));
        }
    }

    private MaxAgeRound() {
    }

    static Uni<Void> overEnvironments(EnvironmentRepository environments, Logger log, String what,
            BiFunction<EnvironmentEntity, Cutoffs, Uni<Void>> check, Instant now) {
        return Panache.withSession(environments::withSecretMaxAge).onItem()
                .transformToMulti(list -> Multi.createFrom().iterable(list)).onItem()
                .transformToUniAndConcatenate(e -> check.apply(e, Cutoffs.of(e, now)).onFailure()
                        .invoke(x -> log.warnf("%s check of Environment %s failed: %s", what, e.id, x.toString()))
                        .onFailure().recoverWithNull())
                .collect().asList().replaceWithVoid();
    }
}
