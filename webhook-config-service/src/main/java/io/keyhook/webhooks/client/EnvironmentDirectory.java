package io.keyhook.webhooks.client;

import java.io.IOException;
import java.time.Instant;
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
import io.keyhook.common.kafka.EnvironmentCatalog;
import io.keyhook.webhooks.config.WebhooksConfig;
import io.smallrye.mutiny.Uni;

/**
 * Asks credentials-service, the owner, about an Environment the {@code keyhook.environments} view has not brought yet:
 * one created a moment ago must be usable at once (read-your-writes). Failure = no answer within
 * {@code keyhook.webhooks.credentials.timeout} or a 5xx: 503 {@code credentials_unavailable}, nothing changed. A 404 or
 * 403 means the caller may not see it: null, answered as the usual 404.
 */
@ApplicationScoped
public class EnvironmentDirectory {

    @Inject
    @RestClient
    EnvironmentsApi api;

    @Inject
    WebhooksConfig config;

    @Inject
    ObjectMapper json;

    /** The Environment as its owner has it now, or null when it does not exist for this caller. */
    public Uni<EnvironmentCatalog.Environment> fetch(String adminBearer, String env) {
        if (adminBearer == null) {
            return Uni.createFrom().nullItem();
        }
        return api.get(adminBearer, env).onFailure(WebApplicationException.class)
                .recoverWithItem(WebApplicationException::getResponse).map(r -> {
                    try {
                        if (r.getStatus() == 200) {
                            return read(r);
                        }
                        if (r.getStatus() / 100 == 4) {
                            return null;
                        }
                        throw new IllegalStateException("credentials-service answered " + r.getStatus());
                    } finally {
                        r.close();
                    }
                }).ifNoItem().after(config.credentials().timeout()).fail().onFailure()
                .transform(EnvironmentDirectory::unavailable);
    }

    private EnvironmentCatalog.Environment read(Response r) {
        try {
            JsonNode n = json.readTree(r.readEntity(String.class));
            List<String> dataTypes = new ArrayList<>();
            n.path("dataTypes").forEach(t -> dataTypes.add(t.asText()));
            String updatedAt = n.path("updatedAt").asText(null);
            return new EnvironmentCatalog.Environment(1, n.path("id").asText(), n.path("name").asText(),
                    new EnvironmentCatalog.Configuration(n.path("configuration").asText(),
                            n.path("configurationVersion").asLong(), dataTypes),
                    updatedAt == null ? null : Instant.parse(updatedAt));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable Environment from credentials-service", e);
        }
    }

    private static ProblemException unavailable(Throwable cause) {
        return CredentialsUnavailable.problem(cause, "Environment look-up",
                "credentials-service could not confirm the Environment; nothing was changed. Try again shortly.", "2");
    }
}
