package io.keyhook.dispatcher.service;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.view.SigningSecrets;
import io.smallrye.mutiny.Uni;

/** {@code jwt-bearer}: a short-lived JWT bound to the body ({@link JwtBearerToken}), keyed with the first secret. */
@ApplicationScoped
class JwtBearerMethod implements SecurityMethod {

    private final SigningSecrets secrets;
    private final DispatcherConfig config;

    JwtBearerMethod(SigningSecrets secrets, DispatcherConfig config) {
        this.secrets = secrets;
        this.config = config;
    }

    @Override
    public Uni<Map<String, String>> headers(WebhookState w, DeliveryRow d, List<String> secretIds, long now) {
        String secretId = secretIds.get(0);
        String clientId = secrets.entry(secretId).clientId();
        return secrets.value(secretId).map(v -> Map.of("authorization", "Bearer " + JwtBearerToken.create(v, clientId,
                w.url(), d.msgId(), now, config.delivery().jwtLifetime().toSeconds(), d.body())));
    }
}
