package io.keyhook.webhooks.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import io.keyhook.core.id.Ids;

/**
 * {@code POST .../rotations}: rotate {@code secretId} of client {@code clientId}. {@code finishAfter} (ISO-8601
 * duration, e.g. {@code PT1H}, at most 30 days): finish on its own after the overlap; absent: when an admin confirms.
 */
public record RotationBody(@NotBlank @Pattern(regexp = Ids.CLIENT, message = "must be a client id") String clientId,
        @NotBlank @Pattern(regexp = Ids.SECRET, message = "must be a secret id (sec_...)") String secretId,
        @Pattern(regexp = "^P(T(\\d+H)?(\\d+M)?(\\d+S)?|\\d+D(T(\\d+H)?(\\d+M)?(\\d+S)?)?)$", message = "must be an ISO-8601 duration such as PT1H or P1D") String finishAfter) {
}
