package io.keyhook.dispatcher.service;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.config.DestinationsConfig;
import io.keyhook.common.contract.WebhookState;
import io.keyhook.core.net.TokenUrlPolicy;
import io.keyhook.core.net.UnsafeDestinationException;
import io.keyhook.dispatcher.client.ReceiverHttp;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.SecretUseAudit;
import io.keyhook.dispatcher.view.SigningSecrets;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * {@code token-exchange}: the first secret is exchanged ({@code client_credentials}) at the receiver's token endpoint
 * for an access token, sent as {@code Authorization: Bearer}; tokens are cached until shortly before expiry
 * ({@link ReceiverTokens}). The secret goes only to the receiver's own site, and every sending (or withholding) is
 * audited.
 */
@ApplicationScoped
class TokenExchangeMethod implements SecurityMethod {

    private final SigningSecrets secrets;
    private final ReceiverTokens receiverTokens;
    private final ReceiverHttp http;
    private final SecretUseAudit secretUses;
    private final ObjectMapper json;
    private final DispatcherConfig config;
    private final TokenUrlPolicy tokenUrls;

    TokenExchangeMethod(SigningSecrets secrets, ReceiverTokens receiverTokens, ReceiverHttp http,
            SecretUseAudit secretUses, ObjectMapper json, DispatcherConfig config, DestinationsConfig destinations) {
        this.secrets = secrets;
        this.receiverTokens = receiverTokens;
        this.http = http;
        this.secretUses = secretUses;
        this.json = json;
        this.config = config;
        this.tokenUrls = destinations.tokenUrlPolicy();
    }

    @Override
    public Uni<Map<String, String>> headers(WebhookState w, DeliveryRow d, List<String> secretIds, long now) {
        String secretId = secretIds.get(0);
        String clientId = secrets.entry(secretId).clientId();
        return secrets.value(secretId)
                .chain(v -> receiverTokens.token(w, clientId, () -> fetchToken(w, clientId, secretId, v)))
                .map(t -> Map.of("authorization", "Bearer " + t));
    }

    private Uni<ReceiverTokens.Issued> fetchToken(WebhookState w, String clientId, String secretId, String secret) {
        String tokenUrl = w.security().tokenUrl();
        String tokenHost = URI.create(tokenUrl).getHost();
        String which = "secret " + secretId + " of client " + clientId;
        try {
            // the secret goes only to the receiver's own site, even if a webhook record says otherwise
            tokenUrls.check(w.url(), tokenUrl);
        } catch (UnsafeDestinationException e) {
            secretUses.record(w.environment(), w.id(), "secret.withheld", tokenHost, "refused:" + e.code(), which);
            return Uni.createFrom()
                    .failure(new IllegalStateException("the token URL is not the receiver's: " + e.code()));
        }
        secretUses.record(w.environment(), w.id(), "secret.sent", tokenHost, "success", which);
        String basic = "Basic " + Base64.getEncoder()
                .encodeToString((form(clientId) + ":" + form(secret)).getBytes(StandardCharsets.UTF_8));
        return http.post(tokenUrl, Map.of("authorization", basic, "content-type", "application/x-www-form-urlencoded"),
                Buffer.buffer("grant_type=client_credentials"), config.delivery().maxTokenResponseBytes(), true,
                System.nanoTime()).map(r -> {
                    if (r.status() != 200) {
                        throw new IllegalStateException("the receiver's token endpoint answered " + r.status());
                    }
                    try {
                        JsonNode body = json.readTree(r.body(), 0, r.length());
                        return new ReceiverTokens.Issued(body.path("access_token").asText(),
                                body.path("expires_in").asLong(60));
                    } catch (IOException | RuntimeException e) {
                        throw new IllegalStateException("the receiver's token endpoint sent no token");
                    }
                });
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
