package io.keyhook.webhooks.api;

import java.util.List;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** How deliveries to a webhook are secured (SPEC.md section 5) and with which client secrets. */
public record SecurityBody(
        @NotNull @Pattern(regexp = "^(standard-webhooks|jwt-bearer|token-exchange)$", message = "must be standard-webhooks, jwt-bearer or token-exchange") String method,
        @NotNull @NotEmpty @Size(max = 3) List<@NotNull @Pattern(regexp = "^sec_[A-Za-z0-9]{1,60}$", message = "must be a secret id (sec_...)") String> secretIds,
        @Size(max = 2048) String tokenUrl) {
}
