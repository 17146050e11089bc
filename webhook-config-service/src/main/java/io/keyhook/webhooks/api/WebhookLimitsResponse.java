package io.keyhook.webhooks.api;

/**
 * An Environment's webhook limits: {@code webhooks} of {@code maxWebhooks} exist; each may opt in to at most
 * {@code maxNotificationTypes} types.
 */
public record WebhookLimitsResponse(int maxWebhooks, int webhooks, int maxNotificationTypes) {
}
