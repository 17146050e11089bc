package io.keyhook.webhooks.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.keyhook.webhooks.persistence.RotationRow;
import io.keyhook.webhooks.service.RotationVerification;

/**
 * A guided rotation. {@code state}: {@code overlapping} (both secrets sign), {@code finishing} (waiting to invalidate
 * the old secret; {@code lastError} says why), {@code done}, {@code abandoned}. {@code newSecret} only in the response
 * that started it: the one time its value is shown. {@code checks}: the last verification (see
 * {@link RotationVerification}), null until the first.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RotationResponse(String id, String clientId, String oldSecretId, String newSecretId, String state,
        List<String> webhookIds, Instant finishAfter, String startedBy, String lastError, Instant createdAt,
        Instant updatedAt, NewSecret newSecret, RotationVerification checks) {

    /** The new secret, shown once. */
    public record NewSecret(String id, String value) {
    }

    public static RotationResponse of(RotationRow r, NewSecret secret, RotationVerification checks) {
        return new RotationResponse(r.id(), r.clientId(), r.oldSecretId(), r.newSecretId(), r.state(), r.webhookIds(),
                r.finishAfter(), r.startedBy(), r.lastError(), r.createdAt(), r.updatedAt(), secret, checks);
    }
}
