package io.keyhook.credentials.service;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.credentials.api.KeyUsageRequest;
import io.keyhook.credentials.persistence.KeyUsageRepository;
import io.smallrye.mutiny.Uni;

/**
 * Keeps {@code firstUsedAt} and {@code lastUsedAt} per key of private_key_jwt clients. Not audited and not published,
 * like secrets' lastUsedAt: it changes on every token request, and nothing downstream depends on it.
 */
@ApplicationScoped
public class KeyUsageService {

    @Inject
    KeyUsageRepository usage;

    /** Records the uses; returns how many keys got a row or had a time moved. Times in the future count as now. */
    public Uni<Integer> record(List<KeyUsageRequest.KeyUse> uses) {
        Instant now = Instant.now();
        // one row per key, in (client, kid) order: a batch never touches a row twice, and two batches lock rows in
        // the same order, so concurrent reports cannot deadlock
        Map<List<String>, KeyUsageRepository.Use> byKey = new TreeMap<>(
                Comparator.<List<String>, String> comparing(k -> k.get(0)).thenComparing(k -> k.get(1)));
        for (KeyUsageRequest.KeyUse u : uses) {
            Instant at = u.usedAt().isAfter(now) ? now : u.usedAt();
            byKey.merge(List.of(u.clientId(), u.kid()), new KeyUsageRepository.Use(u.clientId(), u.kid(), at, at),
                    (a, b) -> new KeyUsageRepository.Use(a.clientId(), a.kid(),
                            a.first().isBefore(b.first()) ? a.first() : b.first(),
                            a.last().isAfter(b.last()) ? a.last() : b.last()));
        }
        return usage.record(List.copyOf(byKey.values()));
    }
}
