package io.keyhook.webhooks.persistence;

import java.time.Instant;
import java.util.List;

/**
 * A row of {@code webhooks.rotations}: one guided rotation of one client secret. {@code checks} is the last
 * verification (JSON of {@code RotationVerification}), {@code checkedAt} when it ran; both null until the first.
 */
public record RotationRow(String id, String environment, String clientId, String oldSecretId, String newSecretId,
        String state, List<String> webhookIds, Instant finishAfter, String startedBy, String lastError,
        Instant createdAt, Instant updatedAt, String checks, Instant checkedAt) {

    public static final String STARTING = "starting";
    public static final String OVERLAPPING = "overlapping";
    public static final String FINISHING = "finishing";
    public static final String DONE = "done";
    public static final String ABANDONED = "abandoned";

    public RotationRow with(String newState, String newSecret, List<String> webhooks, String error) {
        return new RotationRow(id, environment, clientId, oldSecretId, newSecret, newState, webhooks, finishAfter,
                startedBy, error, createdAt, Instant.now(), checks, checkedAt);
    }
}
