package io.keyhook.webhooks.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.error.ProblemException;
import io.keyhook.webhooks.config.WebhooksConfig;
import io.smallrye.mutiny.Uni;

/**
 * Creates and invalidates client secrets in credentials-service for guided rotations. Its refusals (404, 409 with the
 * webhooks still using a secret, ...) come back as the same problem, so the admin sees credentials-service's reason.
 */
@ApplicationScoped
public class Secrets {

    /** A secret just created: its value is shown once, in the response that started the rotation. */
    public record Created(String id, String value) {
    }

    @Inject
    @RestClient
    SecretsApi api;

    @Inject
    ServiceToken token;

    @Inject
    WebhooksConfig config;

    @Inject
    ObjectMapper json;

    public Uni<Created> create(String adminBearer, String env, String clientId) {
        return api.create(adminBearer, env, clientId).onFailure(WebApplicationException.class)
                .recoverWithItem(WebApplicationException::getResponse).map(r -> {
                    try {
                        JsonNode body = read(r);
                        if (r.getStatus() != 201) {
                            throw refusal(r.getStatus(), body);
                        }
                        return new Created(body.path("id").asText(), body.path("value").asText());
                    } finally {
                        r.close();
                    }
                }).ifNoItem().after(config.credentials().timeout()).fail()
                .onFailure(e -> !(e instanceof ProblemException)).transform(Secrets::unavailable);
    }

    /** Whether {@code secretId} is an active secret of the client (404 if the admin cannot see the client). */
    public Uni<Boolean> isActiveSecretOf(String adminBearer, String env, String clientId, String secretId) {
        return api.list(adminBearer, env, clientId).onFailure(WebApplicationException.class)
                .recoverWithItem(WebApplicationException::getResponse).map(r -> {
                    try {
                        JsonNode body = read(r);
                        if (r.getStatus() != 200) {
                            throw refusal(r.getStatus(), body);
                        }
                        for (JsonNode s : body) {
                            if (secretId.equals(s.path("id").asText()) && "active".equals(s.path("status").asText())) {
                                return true;
                            }
                        }
                        return false;
                    } finally {
                        r.close();
                    }
                }).ifNoItem().after(config.credentials().timeout()).fail()
                .onFailure(e -> !(e instanceof ProblemException)).transform(Secrets::unavailable);
    }

    /** Invalidates; idempotent. 409 {@code secret_in_use} (with {@code webhookIds}) while a webhook holds it. */
    public Uni<Void> invalidate(String env, String clientId, String secretId) {
        return token.bearer().chain(b -> api.invalidate(b, env, clientId, secretId))
                .onFailure(WebApplicationException.class).recoverWithItem(WebApplicationException::getResponse)
                .map(r -> {
                    try {
                        if (r.getStatus() / 100 != 2) {
                            throw refusal(r.getStatus(), read(r));
                        }
                        return (Void) null;
                    } finally {
                        r.close();
                    }
                }).ifNoItem().after(config.credentials().timeout()).fail()
                .onFailure(e -> !(e instanceof ProblemException)).transform(Secrets::unavailable);
    }

    private JsonNode read(Response r) {
        try {
            return json.readTree(r.readEntity(String.class));
        } catch (IOException | RuntimeException e) {
            return json.createObjectNode();
        }
    }

    private static ProblemException refusal(int status, JsonNode p) {
        if (status >= 500 || status == 401 || status == 403 && !p.has("code")) {
            return unavailable(new IllegalStateException("credentials-service answered " + status));
        }
        ProblemException e = new ProblemException(status, p.path("code").asText("refused"),
                p.path("title").asText("Refused"), p.path("detail").asText("credentials-service refused"));
        if (p.has("webhookIds")) {
            List<String> ids = new ArrayList<>();
            p.path("webhookIds").forEach(n -> ids.add(n.asText()));
            e = e.with("webhookIds", ids);
        }
        return e;
    }

    private static ProblemException unavailable(Throwable cause) {
        return CredentialsUnavailable.problem(cause, "Rotation secrets",
                "credentials-service did not answer; the rotation is unchanged. Try again shortly.", "5");
    }
}
