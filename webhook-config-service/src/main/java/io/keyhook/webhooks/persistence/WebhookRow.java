package io.keyhook.webhooks.persistence;

import java.time.Instant;
import java.util.List;

import io.keyhook.common.contract.WebhookState;

/**
 * A row of {@code webhooks.webhooks}. {@code version} grows with every change. {@code signatureScheme} (null = v1) and
 * {@code signingKeys} (null unless the webhook signs with keys or a secret of its own, issue 30) are a
 * {@code standard-webhooks} webhook's own signing material.
 */
public record WebhookRow(String id, String environment, String url, String method, List<String> secretIds,
        String tokenUrl, List<String> notificationTypes, boolean paused, long version, Instant createdAt,
        Instant updatedAt, String signatureScheme, List<WebhookState.SigningKey> signingKeys,
        WebhookState.Tuning tuning) {

    /** A webhook with the dispatcher's default tuning (issue 31: {@code tuning} null). */
    public WebhookRow(String id, String environment, String url, String method, List<String> secretIds, String tokenUrl,
            List<String> notificationTypes, boolean paused, long version, Instant createdAt, Instant updatedAt,
            String signatureScheme, List<WebhookState.SigningKey> signingKeys) {
        this(id, environment, url, method, secretIds, tokenUrl, notificationTypes, paused, version, createdAt,
                updatedAt, signatureScheme, signingKeys, null);
    }

    /** A webhook signed with client secrets only, as before issue 30. */
    public WebhookRow(String id, String environment, String url, String method, List<String> secretIds, String tokenUrl,
            List<String> notificationTypes, boolean paused, long version, Instant createdAt, Instant updatedAt) {
        this(id, environment, url, method, secretIds, tokenUrl, notificationTypes, paused, version, createdAt,
                updatedAt, null, null, null);
    }

    public WebhookRow withPaused(boolean paused, Instant at) {
        return new WebhookRow(id, environment, url, method, secretIds, tokenUrl, notificationTypes, paused, version + 1,
                createdAt, at, signatureScheme, signingKeys, tuning);
    }

    /** The next version with other client secrets (a guided rotation's step); its own keys stay as they are. */
    public WebhookRow withSecretIds(List<String> ids, Instant at) {
        return new WebhookRow(id, environment, url, method, ids, tokenUrl, notificationTypes, paused, version + 1,
                createdAt, at, signatureScheme, signingKeys, tuning);
    }

    /** The next version with these keys of its own. */
    public WebhookRow withSigningKeys(List<WebhookState.SigningKey> keys, Instant at) {
        return new WebhookRow(id, environment, url, method, secretIds, tokenUrl, notificationTypes, paused, version + 1,
                createdAt, at, signatureScheme, keys, tuning);
    }

    /** This row with {@code tuning} (issue 31; null when every field is the dispatcher's default). */
    public WebhookRow withTuning(WebhookState.Tuning t) {
        return new WebhookRow(id, environment, url, method, secretIds, tokenUrl, notificationTypes, paused, version,
                createdAt, updatedAt, signatureScheme, signingKeys, t);
    }

    /** Whether it signs with keys or a secret of its own (no client secret). */
    public boolean ownSigning() {
        return signingKeys != null && !signingKeys.isEmpty();
    }
}
