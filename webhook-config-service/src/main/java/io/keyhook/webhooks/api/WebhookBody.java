package io.keyhook.webhooks.api;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A whole webhook, as created (POST) or replaced (PUT). {@code purpose}: {@code data} (the default) or
 * {@code operational} (issue 31; fixed at create, PUT may repeat it). A data webhook needs at least one notification
 * type, an operational webhook takes none (checked by the service).
 */
public record WebhookBody(@NotBlank @Size(max = 2048) String url,
        @Size(max = 200) List<@NotBlank @Size(max = 130) String> notificationTypes, Boolean paused,
        @NotNull @Valid SecurityBody security, @Pattern(regexp = WebhookBody.PURPOSE) String purpose) {

    /** {@code data} or {@code operational}. */
    static final String PURPOSE = "^(data|operational)$";
}
