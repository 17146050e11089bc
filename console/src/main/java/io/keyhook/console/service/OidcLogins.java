package io.keyhook.console.service;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;

/**
 * OpenID Connect sign-ins under way: between the redirect to the provider and its callback, what the callback must
 * match (state), prove (the PKCE verifier) and find in the ID token (nonce). Each is used once, within 10 minutes.
 */
@ApplicationScoped
public class OidcLogins {

    static final Duration LIFETIME = Duration.ofMinutes(10);
    /** Most sign-ins under way at once; past it the oldest is dropped (that person simply signs in again). */
    static final int MAX_PENDING = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One sign-in under way. */
    public record Pending(String state, String verifier, String nonce, Instant startedAt) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    /** Starts a sign-in; returns its id (for the browser's short-lived cookie) and what it must match. */
    public Map.Entry<String, Pending> start() {
        String id = random();
        Pending p = new Pending(random(), random() + random(), random(), Instant.now());
        if (pending.size() >= MAX_PENDING) {
            // unauthenticated GETs start these: never let them grow without bound
            expire();
            while (pending.size() >= MAX_PENDING) {
                pending.entrySet().stream().min(Map.Entry.comparingByValue(Comparator.comparing(Pending::startedAt)))
                        .ifPresent(e -> pending.remove(e.getKey()));
            }
        }
        pending.put(id, p);
        return Map.entry(id, p);
    }

    public int size() {
        return pending.size();
    }

    /** The sign-in with this id, removed as it is taken; null if unknown or too old. */
    public Pending take(String id) {
        Pending p = id == null ? null : pending.remove(id);
        return p == null || p.startedAt().plus(LIFETIME).isBefore(Instant.now()) ? null : p;
    }

    @Scheduled(every = "1m")
    void expire() {
        Instant cutoff = Instant.now().minus(LIFETIME);
        pending.values().removeIf(p -> p.startedAt().isBefore(cutoff));
    }

    static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
