package io.keyhook.credentials.api;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Secrets that authenticated successfully, and when: token-service reports these in batches. */
public record SecretUsageRequest(@NotNull @Size(min = 1, max = 1000) List<@NotNull @Valid Use> uses) {

    public record Use(
            @NotNull @Pattern(regexp = Patterns.SECRET_ID, message = "must be a secret id (sec_...)") String secretId,
            @NotNull Instant usedAt) {
    }
}
