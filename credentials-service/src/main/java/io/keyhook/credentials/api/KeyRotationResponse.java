package io.keyhook.credentials.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A guided rotation of a private_key_jwt client's key. {@code status}: {@code open} (both keys registered),
 * {@code finished} (the old key removed), {@code cancelled} (the new key removed again). {@code override}: the reason,
 * who and when, if it was finished without passing checks; else null. {@code checks}: computed at the time of the
 * response from the keys' recorded use: {@code new_key_used} (the new kid used at or after {@code startedAt}) and
 * {@code old_key_quiet} (the old kid unused for {@code keyhook.credentials.key-rotation-quiet-period}, or never used).
 */
public record KeyRotationResponse(String id, String clientId, String oldKid, String newKid, String status,
        Instant startedAt, Instant finishedAt, Override override, List<Check> checks) {

    /** Who finished without passing checks, why, and when. */
    public record Override(String reason, String by, Instant at) {
    }

    /**
     * One check; {@code quietSince} (old_key_quiet only, when the old key was ever used): its last use, from which the
     * quiet period counts.
     */
    public record Check(String name, boolean passed, String detail,
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant quietSince) {
    }
}
