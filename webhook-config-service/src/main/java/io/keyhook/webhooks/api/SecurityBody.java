package io.keyhook.webhooks.api;

import java.util.List;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.keyhook.core.id.Ids;
import io.keyhook.core.id.SecurityMethods;

/** How deliveries to a webhook are secured (SPEC.md section 5) and with which client secrets. */
public record SecurityBody(
        @NotNull @Pattern(regexp = SecurityMethods.PATTERN, message = "must be standard-webhooks, jwt-bearer or token-exchange") String method,
        @NotNull @NotEmpty @Size(max = 3) List<@NotNull @Pattern(regexp = Ids.SECRET, message = "must be a secret id (sec_...)") String> secretIds,
        @Size(max = 2048) String tokenUrl) {
}
