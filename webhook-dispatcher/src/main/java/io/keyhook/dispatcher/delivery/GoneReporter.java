package io.keyhook.dispatcher.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.dispatcher.config.DispatcherConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * A receiver answered {@code 410 Gone}: webhook-config-service is asked to pause the webhook (events are held, not
 * lost) and its audit trail records why, so an admin sees it. The dispatcher logs in as the service admin client. Best
 * effort with retries: if it cannot be told now, the next 410 tells it again.
 */
@ApplicationScoped
public class GoneReporter {

    private static final Logger LOG = Logger.getLogger(GoneReporter.class);

    @Inject
    DispatcherConfig config;

    @Inject
    Vertx vertx;

    @Inject
    ObjectMapper json;

    private WebClient client;
    private volatile String bearer;
    private volatile Instant renewAt = Instant.EPOCH;

    void start(@Observes StartupEvent event) {
        client = WebClient.create(vertx);
    }

    public void report(String webhookId, String url) {
        String reason = "the receiver answered 410 Gone at " + url;
        token().chain(
                t -> client.postAbs(config.services().webhooksUrl() + "/internal/v1/webhooks/" + webhookId + "/disable")
                        .putHeader("authorization", t).putHeader("content-type", "application/json")
                        .sendBuffer(Buffer.buffer(json.createObjectNode().put("reason", reason).toString())))
                .map(r -> {
                    if (r.statusCode() / 100 != 2) {
                        throw new IllegalStateException("webhook-config-service answered " + r.statusCode());
                    }
                    return r;
                }).onFailure().retry().withBackOff(Duration.ofSeconds(1)).atMost(5).subscribe()
                .with(r -> LOG.warnf("Webhook %s paused: %s", webhookId, reason),
                        e -> LOG.errorf("Could not pause webhook %s after a 410: %s", webhookId, e.toString()));
    }

    private Uni<String> token() {
        if (bearer != null && Instant.now().isBefore(renewAt)) {
            return Uni.createFrom().item(bearer);
        }
        var s = config.services();
        if (s.clientId().isEmpty() || s.clientSecret().isEmpty()) {
            return Uni.createFrom().failure(new IllegalStateException("no service client configured"));
        }
        String basic = "Basic " + Base64.getEncoder()
                .encodeToString((s.clientId().get() + ":" + s.clientSecret().get()).getBytes(StandardCharsets.UTF_8));
        return client.postAbs(s.tokenUrl()).putHeader("authorization", basic)
                .putHeader("content-type", "application/x-www-form-urlencoded")
                .sendBuffer(Buffer.buffer("grant_type=client_credentials")).map(r -> {
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("token-service answered " + r.statusCode());
                    }
                    try {
                        JsonNode body = json.readTree(r.bodyAsString());
                        bearer = "Bearer " + body.path("access_token").asText();
                        renewAt = Instant.now().plusSeconds(Math.max(5, body.path("expires_in").asLong(60) - 60));
                        return bearer;
                    } catch (IOException e) {
                        throw new IllegalStateException("unreadable token response", e);
                    }
                });
    }
}
