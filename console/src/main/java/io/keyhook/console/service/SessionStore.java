package io.keyhook.console.service;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.console.config.ConsoleConfig;
import io.keyhook.console.view.Flash;
import io.keyhook.console.view.NewSecret;
import io.quarkus.scheduler.Scheduled;

/**
 * Sessions in memory: a console restart signs everyone out, which is safe (they sign in again). Several console
 * instances need sticky sessions at the ingress; see console/README.md.
 */
@ApplicationScoped
public class SessionStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Duration idleTimeout;
    private final Clock clock;

    @Inject
    SessionStore(ConsoleConfig config) {
        this(config.idleTimeout(), Clock.systemUTC());
    }

    SessionStore(Duration idleTimeout, Clock clock) {
        this.idleTimeout = idleTimeout;
        this.clock = clock;
    }

    private record Entry(Session session, Instant lastSeen) {
    }

    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    // a secret value created by the last form, held only until the page after the redirect shows it
    private final Map<String, NewSecret> shownOnce = new ConcurrentHashMap<>();
    // what a failed form said, held until the page after the redirect shows it
    private final Map<String, Flash> flashes = new ConcurrentHashMap<>();

    /** Keeps {@code secret} for the next page of this session (POST, redirect, GET: a reload creates nothing). */
    public void showOnce(String sessionId, NewSecret secret) {
        shownOnce.put(sessionId, secret);
    }

    /** Keeps what a failed POST has to say for the page it redirects to. */
    public void flash(String sessionId, Flash flash) {
        flashes.put(sessionId, flash);
    }

    /** The flash for this page, removed as it is taken (null when none). */
    public Flash takeFlash(String sessionId) {
        return flashes.remove(sessionId);
    }

    /** The secret to show once, removed as it is taken. */
    public NewSecret takeShownOnce(String sessionId) {
        return shownOnce.remove(sessionId);
    }

    public Session create(String token, String clientId, List<String> groups, List<String> environments,
            Instant expiresAt) {
        Session s = new Session(random(), token, clientId, List.copyOf(groups), List.copyOf(environments), expiresAt,
                random());
        sessions.put(s.id(), new Entry(s, clock.instant()));
        return s;
    }

    /** The live session with this id, or null (unknown, token expired, or idle too long). */
    public Session find(String id) {
        if (id == null) {
            return null;
        }
        Entry e = sessions.get(id);
        Instant now = clock.instant();
        if (e == null) {
            return null;
        }
        if (!now.isBefore(e.session().expiresAt()) || now.isAfter(e.lastSeen().plus(idleTimeout))) {
            sessions.remove(id);
            return null;
        }
        sessions.put(id, new Entry(e.session(), now));
        return e.session();
    }

    public void remove(String id) {
        if (id != null) {
            sessions.remove(id);
            shownOnce.remove(id);
            flashes.remove(id);
        }
    }

    @Scheduled(every = "1m")
    void expire() {
        Instant now = clock.instant();
        sessions.values()
                .removeIf(e -> !now.isBefore(e.session().expiresAt()) || now.isAfter(e.lastSeen().plus(idleTimeout)));
        shownOnce.keySet().removeIf(id -> !sessions.containsKey(id));
        flashes.keySet().removeIf(id -> !sessions.containsKey(id));
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
