package io.keyhook.dispatcher.service;

import java.util.List;
import java.util.Map;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.smallrye.mutiny.Uni;

/** How one webhook security method (SPEC.md section 5) authenticates a delivery to its receiver. */
interface SecurityMethod {

    /**
     * The headers that authenticate {@code d} to {@code w}'s receiver, made with the usable secrets {@code secretIds}
     * (never empty, in the webhook's order) at {@code now} (epoch seconds, the {@code webhook-timestamp}).
     */
    Uni<Map<String, String>> headers(WebhookState w, DeliveryRow d, List<String> secretIds, long now);
}
