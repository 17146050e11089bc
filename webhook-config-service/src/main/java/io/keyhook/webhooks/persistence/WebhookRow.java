package io.keyhook.webhooks.persistence;

import java.time.Instant;
import java.util.List;

import io.keyhook.common.contract.WebhookState;

/**
 * A row of {@code webhooks.webhooks}. {@code version} grows with every change. {@code signatureScheme} (null = v1) and
 * {@code signingKeys} (null unless the webhook signs with keys or a secret of its own, issue 30) are a
 * {@code standard-webhooks} webhook's own signing material. Issue 31: {@code tuning} (null when every field is the
 * dispatcher's default), {@code purpose} ({@code data} or {@code operational}, never changed), {@code pausedReason}
 * ({@link #MANUAL}, {@link #FAILING}, {@link #GONE}; null when not paused) and {@code pausedAt}.
 */
public record WebhookRow(String id, String environment, String url, String method, List<String> secretIds,
        String tokenUrl, List<String> notificationTypes, boolean paused, long version, Instant createdAt,
        Instant updatedAt, String signatureScheme, List<WebhookState.SigningKey> signingKeys,
        WebhookState.Tuning tuning, String purpose, String pausedReason, Instant pausedAt) {

    /** Paused by an admin. */
    public static final String MANUAL = "manual";
    /** Paused by Keyhook: the webhook kept failing for the auto-disable period. */
    public static final String FAILING = "failing";
    /** Paused by Keyhook: the receiver answered 410 Gone. */
    public static final String GONE = "gone";

    /**
     * A data webhook with this tuning, paused (if at all) by an admin at {@code updatedAt}: how every change but a
     * disable makes one.
     */
    public WebhookRow(String id, String environment, String url, String method, List<String> secretIds, String tokenUrl,
            List<String> notificationTypes, boolean paused, long version, Instant createdAt, Instant updatedAt,
            String signatureScheme, List<WebhookState.SigningKey> signingKeys, WebhookState.Tuning tuning) {
        this(id, environment, url, method, secretIds, tokenUrl, notificationTypes, paused, version, createdAt,
                updatedAt, signatureScheme, signingKeys, tuning, WebhookState.DATA, paused ? MANUAL : null,
                paused ? updatedAt : null);
    }

    /** A webhook with the dispatcher's default tuning, with its purpose and pause state. */
    public WebhookRow(String id, String environment, String url, String method, List<String> secretIds, String tokenUrl,
            List<String> notificationTypes, boolean paused, long version, Instant createdAt, Instant updatedAt,
            String signatureScheme, List<WebhookState.SigningKey> signingKeys, String purpose, String pausedReason,
            Instant pausedAt) {
        this(id, environment, url, method, secretIds, tokenUrl, notificationTypes, paused, version, createdAt,
                updatedAt, signatureScheme, signingKeys, null, purpose, pausedReason, pausedAt);
    }

    /** A data webhook with the dispatcher's default tuning, paused (if at all) by an admin. */
    public WebhookRow(String id, String environment, String url, String method, List<String> secretIds, String tokenUrl,
            List<String> notificationTypes, boolean paused, long version, Instant createdAt, Instant updatedAt,
            String signatureScheme, List<WebhookState.SigningKey> signingKeys) {
        this(id, environment, url, method, secretIds, tokenUrl, notificationTypes, paused, version, createdAt,
                updatedAt, signatureScheme, signingKeys, (WebhookState.Tuning) null);
    }

    /** A webhook signed with client secrets only, as before issue 30. */
    public WebhookRow(String id, String environment, String url, String method, List<String> secretIds, String tokenUrl,
            List<String> notificationTypes, boolean paused, long version, Instant createdAt, Instant updatedAt) {
        this(id, environment, url, method, secretIds, tokenUrl, notificationTypes, paused, version, createdAt,
                updatedAt, null, null);
    }

    public WebhookRow withPaused(boolean paused, Instant at) {
        return withPaused(paused, MANUAL, at);
    }

    /** The next version paused for {@code reason} at {@code at}, or resumed (reason and time cleared). */
    public WebhookRow withPaused(boolean paused, String reason, Instant at) {
        return new WebhookRow(id, environment, url, method, secretIds, tokenUrl, notificationTypes, paused, version + 1,
                createdAt, at, signatureScheme, signingKeys, tuning, purpose, paused ? reason : null,
                paused ? at : null);
    }

    /**
     * This row (a PUT or PATCH of {@code old}) with what such a change never sets: {@code old}'s purpose (immutable),
     * and its pause reason and time while it stays paused (a webhook paused by the change was paused by an admin).
     */
    public WebhookRow keepingStateOf(WebhookRow old) {
        boolean stillPaused = paused && old.paused();
        return new WebhookRow(id, environment, url, method, secretIds, tokenUrl, notificationTypes, paused, version,
                createdAt, updatedAt, signatureScheme, signingKeys, tuning, old.purpose(),
                stillPaused ? old.pausedReason() : pausedReason, stillPaused ? old.pausedAt() : pausedAt);
    }

    /** This new row with the given purpose ({@code data} or {@code operational}). */
    public WebhookRow withPurpose(String p) {
        return new WebhookRow(id, environment, url, method, secretIds, tokenUrl, notificationTypes, paused, version,
                createdAt, updatedAt, signatureScheme, signingKeys, tuning, p, pausedReason, pausedAt);
    }

    /** Whether it is the Environment's operational webhook. */
    public boolean operational() {
        return WebhookState.OPERATIONAL.equals(purpose);
    }

    /** The next version with other client secrets (a guided rotation's step); its own keys stay as they are. */
    public WebhookRow withSecretIds(List<String> ids, Instant at) {
        return new WebhookRow(id, environment, url, method, ids, tokenUrl, notificationTypes, paused, version + 1,
                createdAt, at, signatureScheme, signingKeys, tuning, purpose, pausedReason, pausedAt);
    }

    /** The next version with these keys of its own. */
    public WebhookRow withSigningKeys(List<WebhookState.SigningKey> keys, Instant at) {
        return new WebhookRow(id, environment, url, method, secretIds, tokenUrl, notificationTypes, paused, version + 1,
                createdAt, at, signatureScheme, keys, tuning, purpose, pausedReason, pausedAt);
    }

    /** This row with {@code tuning} (issue 31; null when every field is the dispatcher's default). */
    public WebhookRow withTuning(WebhookState.Tuning t) {
        return new WebhookRow(id, environment, url, method, secretIds, tokenUrl, notificationTypes, paused, version,
                createdAt, updatedAt, signatureScheme, signingKeys, t, purpose, pausedReason, pausedAt);
    }

    /** Whether it signs with keys or a secret of its own (no client secret). */
    public boolean ownSigning() {
        return signingKeys != null && !signingKeys.isEmpty();
    }
}
