package io.keyhook.webhooks.api;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A whole webhook, as created (POST) or replaced (PUT). */
public record WebhookBody(@NotBlank @Size(max = 2048) String url,
        @NotNull @NotEmpty(message = "must list at least one notification type: a webhook with none would receive"
                + " nothing (to stop deliveries for a while, pause the webhook)") @Size(max = 200) List<@NotBlank @Size(max = 130) String> notificationTypes,
        Boolean paused, @NotNull @Valid SecurityBody security) {
}
