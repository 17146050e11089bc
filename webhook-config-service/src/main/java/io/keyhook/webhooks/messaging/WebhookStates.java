package io.keyhook.webhooks.messaging;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.webhooks.persistence.WebhookRow;

/**
 * A webhook row as its {@code keyhook.webhooks} record: the webhook's whole state, what the dispatcher's view holds.
 */
public final class WebhookStates {

    static final int SCHEMA_VERSION = 1;

    private WebhookStates() {
    }

    public static WebhookState of(WebhookRow w) {
        return new WebhookState(SCHEMA_VERSION, w.id(), w.environment(), w.url(), w.notificationTypes(), w.paused(),
                new WebhookState.Security(w.method(), w.secretIds(), w.tokenUrl()), w.version(), w.createdAt(),
                w.updatedAt());
    }
}
