package io.keyhook.webhooks.messaging;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.webhooks.persistence.WebhookRow;

/**
 * A webhook row as its {@code keyhook.webhooks} record: the webhook's whole state, what the dispatcher's view holds.
 * Its own signing keys travel as ciphertexts only (the dispatcher decrypts them); both issue-30 fields are absent for a
 * webhook that has none, so such a webhook is published as before; so is {@code tuning} (issue 31) when every field is
 * the dispatcher's default. {@code purpose} is published for the operational webhook only (absent = data), so a data
 * webhook's record is byte for byte as before issue 31.
 */
public final class WebhookStates {

    static final int SCHEMA_VERSION = 1;

    private WebhookStates() {
    }

    public static WebhookState of(WebhookRow w) {
        return new WebhookState(SCHEMA_VERSION, w.id(), w.environment(), w.url(), w.notificationTypes(), w.paused(),
                new WebhookState.Security(w.method(), w.secretIds(), w.tokenUrl(), w.signatureScheme(),
                        w.signingKeys()),
                w.version(), w.createdAt(), w.updatedAt(), w.operational() ? WebhookState.OPERATIONAL : null,
                w.tuning());
    }
}
