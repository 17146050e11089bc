package io.keyhook.credentials.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code PATCH /api/v1/environments/{env}}: rename, publish another Configuration, or set the secrets' maximum age
 * ({@code secretMaxAgeDays}, 1 to 3650; 0 removes it) and the grace before a flagged secret expires
 * ({@code secretExpiryGraceDays}, 0 to 365, 14 by default).
 */
public record EnvironmentPatchRequest(
        @Size(min = 1, max = 100) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String name,
        @Pattern(regexp = Patterns.CONFIGURATION_NAME, message = "must name a Configuration") String configuration,
        @Min(0) @Max(3650) Integer secretMaxAgeDays, @Min(0) @Max(365) Integer secretExpiryGraceDays) {

    /** A rename or a Configuration change only. */
    public EnvironmentPatchRequest(String name, String configuration) {
        this(name, configuration, null, null);
    }
}
