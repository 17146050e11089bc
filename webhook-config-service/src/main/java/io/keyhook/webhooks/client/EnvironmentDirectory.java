package io.keyhook.webhooks.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyhook.common.client.ServiceCalls;
import io.keyhook.common.contract.EnvironmentStateRecord;
import io.keyhook.core.error.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * Asks credentials-service, the owner, about an Environment the {@code keyhook.environments} view has not brought yet:
 * one created a moment ago must be usable at once (read-your-writes). Failure = no answer within the timeout on
 * {@link CredentialsAdminApi} or a 5xx: 503 {@code credentials_unavailable}, nothing changed. A 404 or 403 means the
 * caller may not see it: null, answered as the usual 404.
 */
@ApplicationScoped
public class EnvironmentDirectory {

    @Inject
    @RestClient
    CredentialsAdminApi api;

    /** The Environment as its owner has it now, or null when it does not exist for this caller. */
    public Uni<EnvironmentStateRecord> fetch(String adminBearer, String env) {
        if (adminBearer == null) {
            return Uni.createFrom().nullItem();
        }
        Uni<EnvironmentStateRecord> call = api.environment(adminBearer, env).map(EnvironmentDirectory::environment)
                .onFailure(ProblemException.class).recoverWithNull();
        return ServiceCalls.answered(call, "Environment look-up", "credentials_unavailable",
                "credentials-service could not confirm the Environment; nothing was changed. Try again shortly.", 2);
    }

    private static EnvironmentStateRecord environment(JsonNode n) {
        List<String> dataTypes = new ArrayList<>();
        n.path("dataTypes").forEach(t -> dataTypes.add(t.asText()));
        String updatedAt = n.path("updatedAt").asText(null);
        // the settings the topic's record carries too: learnt in its place, this must not hide them
        Integer maxAge = n.path("secretMaxAgeDays").isInt() ? n.path("secretMaxAgeDays").asInt() : null;
        Integer grace = maxAge != null && n.path("secretExpiryGraceDays").isInt()
                ? n.path("secretExpiryGraceDays").asInt() : null;
        return new EnvironmentStateRecord(1, n.path("id").asText(), n.path("name").asText(),
                new EnvironmentStateRecord.Configuration(n.path("configuration").asText(),
                        n.path("configurationVersion").asLong(), dataTypes),
                updatedAt == null ? null : Instant.parse(updatedAt), n.path("tokenSigningAlg").asText(null), maxAge,
                grace);
    }
}
