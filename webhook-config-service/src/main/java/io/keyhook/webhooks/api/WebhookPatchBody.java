package io.keyhook.webhooks.api;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * PATCH: only the fields present change; {@code security} is replaced as a whole when present. {@code purpose} cannot
 * change (409 {@code purpose_immutable}); the same value is accepted.
 */
public record WebhookPatchBody(@Size(max = 2048) String url,
        @Size(min = 1, max = 200, message = "must list at least one notification type when given: a webhook with none"
                + " would receive nothing (to stop deliveries for a while, pause the webhook)") List<@NotBlank @Size(max = 130) String> notificationTypes,
        Boolean paused, @Valid SecurityBody security, @Pattern(regexp = WebhookBody.PURPOSE) String purpose) {
}
