package io.keyhook.dispatcher.service;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.core.id.SecurityMethods;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.view.OwnSigningKeys;
import io.keyhook.dispatcher.view.SigningSecrets;
import io.smallrye.mutiny.Uni;

/**
 * Authenticates a delivery to its receiver per the webhook's security method, with the webhook's secrets that are
 * usable now, or with its own active signing keys (issue 30); fails when none is usable or a key does not decrypt (the
 * attempt fails and is retried; other webhooks are not affected).
 */
@ApplicationScoped
public class ReceiverAuthentication {

    private final SigningSecrets secrets;
    private final SecurityMethod standardWebhooks;
    private final SecurityMethod jwtBearer;
    private final SecurityMethod tokenExchange;
    private final OwnSigningKeys ownKeys;

    ReceiverAuthentication(SigningSecrets secrets, StandardWebhooksMethod standardWebhooks, JwtBearerMethod jwtBearer,
            TokenExchangeMethod tokenExchange, OwnSigningKeys ownKeys) {
        this.secrets = secrets;
        this.ownKeys = ownKeys;
        this.standardWebhooks = standardWebhooks;
        this.jwtBearer = jwtBearer;
        this.tokenExchange = tokenExchange;
    }

    /** The headers that authenticate {@code d} to {@code w}'s receiver at {@code now} (epoch seconds). */
    public Uni<Map<String, String>> headers(WebhookState w, DeliveryRow d, long now) {
        if (w.security() != null && w.security().signingKeys() != null && !w.security().signingKeys().isEmpty()
                && SecurityMethods.STANDARD_WEBHOOKS.equals(w.security().method())) {
            // keys of its own (issue 30): no client secret is involved
            return ownKeys.active(w)
                    .map(keys -> Map.of("webhook-signature", OwnKeySignature.header(keys, d.msgId(), now, d.body())));
        }
        List<String> ids = w.security() == null ? List.of() : w.security().secretIds();
        List<String> usable = ids.stream().filter(id -> secrets.entry(id) != null && secrets.entry(id).usable())
                .toList();
        if (usable.isEmpty()) {
            return Uni.createFrom().failure(new IllegalStateException("no usable signing secret"));
        }
        return method(w.security().method()).headers(w, d, usable, now);
    }

    private SecurityMethod method(String name) {
        if (SecurityMethods.STANDARD_WEBHOOKS.equals(name)) {
            return standardWebhooks;
        }
        if (SecurityMethods.JWT_BEARER.equals(name)) {
            return jwtBearer;
        }
        return tokenExchange;
    }
}
