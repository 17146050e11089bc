package io.keyhook.credentials.api;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The complete set of secrets a webhook uses; replaces its previous leases atomically. Up to 6: a webhook uses at most
 * 3, and while a change of them runs, webhook-config-service leases the old and the new ones together.
 * {@code disclosure} (token-exchange webhooks only) names those of them that are sent to a receiver's token endpoint,
 * and that endpoint's site.
 */
public record LeaseSetRequest(
        @NotNull @Pattern(regexp = Patterns.ENVIRONMENT_ID, message = "must be an Environment id") String environment,
        @NotNull @Size(max = 6) List<@NotNull @Pattern(regexp = Patterns.SECRET_ID, message = "must be a secret id (sec_...)") String> secretIds,
        @Valid LeaseDisclosure disclosure) {
}
