package io.keyhook.webhooks.api;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A whole webhook, as created (POST) or replaced (PUT). {@code purpose}: {@code data} (the default) or
 * {@code operational} (issue 31; fixed at create, PUT may repeat it). A data webhook needs at least one notification
 * type, an operational webhook takes none (checked by the service). The tuning fields (issue 31) are each null for the
 * dispatcher's default, else within the operator's bounds ({@code keyhook.webhooks.tuning.*}): {@code timeoutMs} (an
 * attempt's total deadline), {@code maxInFlight} (attempts at once), {@code rateLimitPerSecond} (attempts started per
 * second; the rest wait, in order) and {@code headers} (static headers added to every attempt; not for secrets: admins
 * see them).
 */
public record WebhookBody(@NotBlank @Size(max = 2048) String url,
        @Size(max = 200) List<@NotBlank @Size(max = 130) String> notificationTypes, Boolean paused,
        @NotNull @Valid SecurityBody security, @Pattern(regexp = WebhookBody.PURPOSE) String purpose, Integer timeoutMs,
        Integer maxInFlight, Integer rateLimitPerSecond, @Size(max = 100) Map<String, String> headers) {

    /** {@code data} or {@code operational}. */
    static final String PURPOSE = "^(data|operational)$";

    /** A data webhook with the dispatcher's default tuning. */
    public WebhookBody(String url, List<String> notificationTypes, Boolean paused, SecurityBody security) {
        this(url, notificationTypes, paused, security, null, null, null, null, null);
    }

    /** A webhook of this purpose with the dispatcher's default tuning. */
    public WebhookBody(String url, List<String> notificationTypes, Boolean paused, SecurityBody security,
            String purpose) {
        this(url, notificationTypes, paused, security, purpose, null, null, null, null);
    }
}
