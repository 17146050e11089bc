package io.keyhook.webhooks.api;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A whole webhook, as created (POST) or replaced (PUT). The tuning fields (issue 31) are each null for the dispatcher's
 * default, else within the operator's bounds ({@code keyhook.webhooks.tuning.*}): {@code timeoutMs} (an attempt's total
 * deadline), {@code maxInFlight} (attempts at once), {@code rateLimitPerSecond} (attempts started per second; the rest
 * wait, in order) and {@code headers} (static headers added to every attempt; not for secrets: admins see them).
 */
public record WebhookBody(@NotBlank @Size(max = 2048) String url,
        @NotNull @NotEmpty(message = "must list at least one notification type: a webhook with none would receive"
                + " nothing (to stop deliveries for a while, pause the webhook)") @Size(max = 200) List<@NotBlank @Size(max = 130) String> notificationTypes,
        Boolean paused, @NotNull @Valid SecurityBody security, Integer timeoutMs, Integer maxInFlight,
        Integer rateLimitPerSecond, @Size(max = 100) Map<String, String> headers) {

    /** A webhook with the dispatcher's default tuning. */
    public WebhookBody(String url, List<String> notificationTypes, Boolean paused, SecurityBody security) {
        this(url, notificationTypes, paused, security, null, null, null, null);
    }
}
