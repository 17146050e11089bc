package io.keyhook.webhooks.api;

import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.keyhook.core.id.Ids;
import io.keyhook.core.id.SecurityMethods;

/**
 * How deliveries to a webhook are secured (SPEC.md section 5): with client secrets ({@code secretIds}), or, for
 * {@code standard-webhooks} only, with signing material of the webhook's own (issue 30): {@code "signatureScheme":
 * "v1a"} (an Ed25519 key pair Keyhook generates) or {@code "signingSecret": "generated"} (a {@code whsec_} secret of
 * the webhook's own, HMAC {@code v1}). Which combinations are allowed is checked by {@code OwnSigning.check}.
 */
public record SecurityBody(
        @NotNull @Pattern(regexp = SecurityMethods.PATTERN, message = "must be standard-webhooks, jwt-bearer or token-exchange") String method,
        @Size(max = 3) List<@NotNull @Pattern(regexp = Ids.SECRET, message = "must be a secret id (sec_...)") String> secretIds,
        @Size(max = 2048) String tokenUrl,
        @Pattern(regexp = "^(v1|v1a)$", message = "must be v1 or v1a") String signatureScheme,
        @Pattern(regexp = "^generated$", message = "must be generated") String signingSecret) {

    /** Client secrets only, as before issue 30. */
    public SecurityBody(String method, List<String> secretIds, String tokenUrl) {
        this(method, secretIds, tokenUrl, null, null);
    }
}
