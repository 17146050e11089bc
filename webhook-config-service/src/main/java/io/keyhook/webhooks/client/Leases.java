package io.keyhook.webhooks.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.error.Problem;
import io.keyhook.common.error.ProblemException;
import io.keyhook.webhooks.config.WebhooksConfig;
import io.smallrye.mutiny.Uni;

/**
 * The secrets a webhook uses are leased in credentials-service, which then refuses to invalidate them. Setting the
 * lease checks the choice too: only active secrets of active clients of the same Environment; anything else comes back
 * as 422 naming each bad entry.
 */
@ApplicationScoped
public class Leases {

    private static final Logger LOG = Logger.getLogger(Leases.class);

    @Inject
    @RestClient
    LeaseApi api;

    @Inject
    ServiceToken token;

    @Inject
    WebhooksConfig config;

    @Inject
    ObjectMapper json;

    /** Makes {@code secretIds} exactly the secrets the webhook holds. */
    public Uni<Void> set(String webhookId, String environment, List<String> secretIds) {
        return token.bearer().chain(b -> api.set(b, webhookId, new LeaseApi.LeaseSet(environment, secretIds)))
                .onFailure(WebApplicationException.class).recoverWithItem(WebApplicationException::getResponse)
                .map(r -> {
                    try {
                        if (r.getStatus() / 100 == 2) {
                            return null;
                        }
                        throw refusal(r);
                    } finally {
                        r.close();
                    }
                }).ifNoItem().after(config.credentials().timeout()).fail().replaceWithVoid()
                .onFailure(e -> !(e instanceof ProblemException)).transform(Leases::unavailable);
    }

    /** Releases every secret the webhook held (deleting it). */
    public Uni<Void> release(String webhookId) {
        return token.bearer().chain(b -> api.release(b, webhookId)).onFailure(WebApplicationException.class)
                .recoverWithItem(WebApplicationException::getResponse).map(r -> {
                    try {
                        if (r.getStatus() / 100 != 2 && r.getStatus() != 404) {
                            throw new IllegalStateException("credentials-service answered " + r.getStatus());
                        }
                        return null;
                    } finally {
                        r.close();
                    }
                }).ifNoItem().after(config.credentials().timeout()).fail().replaceWithVoid().onFailure()
                .transform(Leases::unavailable);
    }

    private ProblemException refusal(Response r) {
        if (r.getStatus() == 422) {
            try {
                JsonNode p = json.readTree(r.readEntity(String.class));
                List<Problem.FieldError> errors = new ArrayList<>();
                p.path("errors").forEach(e -> errors.add(
                        new Problem.FieldError("security." + e.path("field").asText(), e.path("message").asText())));
                return new ProblemException(422, "secret_not_usable", "Unprocessable request",
                        "Only active secrets of active clients of this Environment can secure a webhook", errors, null);
            } catch (IOException e) {
                LOG.warnf("Unreadable lease refusal from credentials-service: %s", e.toString());
            }
        }
        return unavailable(new IllegalStateException("credentials-service answered " + r.getStatus()));
    }

    private static ProblemException unavailable(Throwable cause) {
        return CredentialsUnavailable.problem(cause, "Secret leases",
                "credentials-service could not confirm the secrets; nothing was changed. Try again shortly.", "5");
    }
}
