package io.keyhook.dispatcher.service;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.view.SigningSecrets;
import io.smallrye.mutiny.Uni;

/**
 * {@code standard-webhooks}: a {@code webhook-signature} header with one signature per usable secret, so a receiver
 * keeps verifying while a secret is rotated.
 */
@ApplicationScoped
class StandardWebhooksMethod implements SecurityMethod {

    private final SigningSecrets secrets;

    StandardWebhooksMethod(SigningSecrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public Uni<Map<String, String>> headers(WebhookState w, DeliveryRow d, List<String> secretIds, long now) {
        return Uni.join().all(secretIds.stream().map(secrets::value).toList()).andFailFast().map(values -> Map
                .of("webhook-signature", StandardWebhooksSignature.header(values, d.msgId(), now, d.body())));
    }
}
