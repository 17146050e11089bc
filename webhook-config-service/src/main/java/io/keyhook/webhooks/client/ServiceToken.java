package io.keyhook.webhooks.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.webhooks.config.WebhooksConfig;
import io.smallrye.mutiny.Uni;

/**
 * This service's bearer token for credentials-service's internal API: client credentials of its service admin client
 * (group keyhook-service) exchanged at token-service, kept until a minute before it expires.
 */
@ApplicationScoped
public class ServiceToken {

    @Inject
    @RestClient
    TokenApi tokens;

    @Inject
    WebhooksConfig config;

    @Inject
    ObjectMapper json;

    private volatile String bearer;
    private volatile Instant renewAt = Instant.EPOCH;

    public Uni<String> bearer() {
        if (bearer != null && Instant.now().isBefore(renewAt)) {
            return Uni.createFrom().item(bearer);
        }
        var c = config.credentials();
        if (c.clientId().isEmpty() || c.clientSecret().isEmpty()) {
            return Uni.createFrom().failure(new IllegalStateException(
                    "keyhook.webhooks.credentials.client-id and client-secret are not configured"));
        }
        String basic = "Basic " + Base64.getEncoder()
                .encodeToString((c.clientId().get() + ":" + c.clientSecret().get()).getBytes(StandardCharsets.UTF_8));
        return tokens.token(basic, "client_credentials").onFailure(WebApplicationException.class)
                .recoverWithItem(WebApplicationException::getResponse).map(r -> {
                    try {
                        if (r.getStatus() != 200) {
                            throw new IllegalStateException(
                                    "token-service refused this service's login: " + r.getStatus());
                        }
                        JsonNode body = json.readTree(r.readEntity(String.class));
                        long expiresIn = body.path("expires_in").asLong(60);
                        bearer = "Bearer " + body.path("access_token").asText();
                        renewAt = Instant.now().plusSeconds(Math.max(5, expiresIn - 60));
                        return bearer;
                    } catch (IOException e) {
                        throw new IllegalStateException("token-service sent an unreadable token response", e);
                    } finally {
                        r.close();
                    }
                }).ifNoItem().after(c.timeout()).fail();
    }
}
