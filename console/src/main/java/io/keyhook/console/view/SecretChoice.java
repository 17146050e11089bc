package io.keyhook.console.view;

/** An active secret offered by the webhook form's credential picker. */
public record SecretChoice(String secretId, String clientId, String clientName, String createdAt, boolean checked) {
}
