package io.keyhook.token.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.keyhook.token.persistence.SigningKeyRow;

/**
 * Decides what the signing-key table needs now, without touching it: a new key (and from when it signs) and which keys
 * retire. Pure, so the rotation rules can be tested with any clock.
 *
 * <ul>
 * <li>No key yet, or a forced rotation: a new key signs at once; every signing key retires now.</li>
 * <li>The newest key signs and is {@code rotationInterval - publishAhead} old: a new key is created that signs
 * {@code publishAhead} from now (it is in the JWKS meanwhile).</li>
 * <li>The newest key signs: every older key retires as of when the newest took over.</li>
 * <li>A retired key stays published until {@code maxTokenLifetime} after it retired.</li>
 * </ul>
 */
public final class KeySchedule {

    /** What to change. {@code newKeySignsFrom} null = no new key. */
    public record Plan(Instant newKeySignsFrom, List<Retirement> retirements) {
    }

    /** Key {@code kid} stops signing at {@code at} and leaves the JWKS at {@code expiresAt}. */
    public record Retirement(String kid, Instant at, Instant expiresAt) {
    }

    private final Duration rotationInterval;
    private final Duration publishAhead;
    private final Duration maxTokenLifetime;

    public KeySchedule(Duration rotationInterval, Duration publishAhead, Duration maxTokenLifetime) {
        this.rotationInterval = rotationInterval;
        this.publishAhead = publishAhead;
        this.maxTokenLifetime = maxTokenLifetime;
    }

    /**
     * @param published
     *            the published keys, newest (latest {@code activateAt}) first
     * @param switchAt
     *            a forced switch: a new key signs from then and every signing key retires then (null: none)
     */
    public Plan plan(List<SigningKeyRow> published, Instant now, Instant switchAt) {
        SigningKeyRow newest = published.isEmpty() ? null : published.get(0);
        if (switchAt != null) {
            Instant at = switchAt.isBefore(now) ? now : switchAt;
            return new Plan(at, retireAllBut(published, null, at));
        }
        // no key, or the newest key no longer signs (it was revoked, possibly by another replica): a new key signs
        // from now
        if (newest == null || newest.retireAt() != null && !newest.retireAt().isAfter(now)) {
            return new Plan(now, retireAllBut(published, null, now));
        }
        if (newest.activateAt().isAfter(now)) {
            // a new key is being published ahead; nothing to do until it signs
            return new Plan(null, List.of());
        }
        Instant due = newest.activateAt().plus(rotationInterval).minus(publishAhead);
        Instant newKey = now.isBefore(due) ? null : now.plus(publishAhead);
        return new Plan(newKey, retireAllBut(published, newest.kid(), newest.activateAt()));
    }

    private List<Retirement> retireAllBut(List<SigningKeyRow> published, String keep, Instant at) {
        List<Retirement> out = new ArrayList<>();
        for (SigningKeyRow r : published) {
            if (!r.kid().equals(keep) && r.retireAt() == null && !r.activateAt().isAfter(at)) {
                out.add(new Retirement(r.kid(), at, at.plus(maxTokenLifetime)));
            }
        }
        return out;
    }
}
