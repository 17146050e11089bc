package io.keyhook.credentials.api;

import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.keyhook.core.id.SecurityMethods;

/**
 * Secrets of a lease that leave Keyhook: token exchange sends each (HTTP Basic) to the token endpoint on {@code site},
 * as common's TokenUrlPolicy.siteOf names it. The first such lease pins a secret to that site for good; a lease that
 * would send it to another site is refused ({@code secret_pinned_elsewhere}).
 */
public record LeaseDisclosure(
        @NotNull @Pattern(regexp = "^" + SecurityMethods.TOKEN_EXCHANGE
                + "$", message = "must be token-exchange") String purpose,
        @NotNull @Pattern(regexp = Patterns.SITE, message = "must be a site: a lower-case host name or an IP literal") String site,
        @NotNull @Size(max = 6) List<@NotNull @Pattern(regexp = Patterns.SECRET_ID, message = "must be a secret id (sec_...)") String> secretIds) {
}
