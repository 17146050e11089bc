package io.keyhook.credentials.service;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.credentials.api.SecretUsageRequest;
import io.keyhook.credentials.persistence.SecretRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Keeps {@code lastUsedAt} of secrets. Not audited and not published: it changes on every token request, and nothing
 * downstream depends on it.
 */
@ApplicationScoped
public class SecretUsageService {

    @Inject
    SecretRepository secrets;

    @WithTransaction
    public Uni<Integer> record(List<SecretUsageRequest.Use> uses) {
        Instant now = Instant.now();
        return Multi.createFrom().iterable(uses).onItem()
                .transformToUniAndConcatenate(
                        u -> secrets.markUsed(u.secretId(), u.usedAt().isAfter(now) ? now : u.usedAt()))
                .collect().with(Collectors.summingInt(Integer::intValue));
    }
}
