package io.keyhook.console.view;

/** A secret value just created: shown on the answer to the form that created it, once, and never stored. */
public record NewSecret(String clientId, String secretId, String value) {
}
