package io.keyhook.credentials.api;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Keys of private_key_jwt clients that authenticated successfully, and when: token-service reports these in batches of
 * at most {@value #MAX_USES} (so a full batch also stays under the 64 KiB request body limit).
 */
public record KeyUsageRequest(
        @NotNull @Size(min = 1, max = KeyUsageRequest.MAX_USES) List<@NotNull @Valid KeyUse> uses) {

    public static final int MAX_USES = 500;

    public record KeyUse(
            @NotNull @Pattern(regexp = Patterns.OBJECT_ID, message = "must be a client id") String clientId,
            @NotNull @Pattern(regexp = Patterns.KID, message = "must be a registered key's kid") String kid,
            @NotNull Instant usedAt) {
    }
}
