package io.keyhook.webhooks.api;

import java.util.List;

import jakarta.validation.constraints.NotNull;

/**
 * An Environment's notification addresses: where its operational events are e-mailed (at most 10 bare addresses, none
 * twice; an empty list turns e-mail off for the Environment). Checked by the service, which names each bad entry.
 */
public record NotificationSettingsBody(@NotNull List<String> emails) {
}
