package io.keyhook.webhooks.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.keyhook.common.client.ServiceCalls;
import io.smallrye.mutiny.Uni;

/**
 * Creates and invalidates client secrets in credentials-service for guided rotations. Its refusals (404, 409 with the
 * webhooks still using a secret, ...) come back as the same problem, so the admin sees credentials-service's reason. No
 * answer: 503 {@code credentials_unavailable}, the rotation unchanged.
 */
@ApplicationScoped
public class Secrets {

    private static final String UNAVAILABLE = "credentials-service did not answer; the rotation is unchanged."
            + " Try again shortly.";

    /** A secret just created: its value is shown once, in the response that started the rotation. */
    public record Created(String id, String value) {
    }

    @Inject
    @RestClient
    CredentialsAdminApi admin;

    @Inject
    @RestClient
    CredentialsInternalApi internal;

    public Uni<Created> create(String adminBearer, String env, String clientId) {
        return answered(admin.createSecret(adminBearer, env, clientId).map(s -> new Created(s.id(), s.value())));
    }

    /** Whether {@code secretId} is an active secret of the client (404 if the admin cannot see the client). */
    public Uni<Boolean> isActiveSecretOf(String adminBearer, String env, String clientId, String secretId) {
        return answered(admin.secrets(adminBearer, env, clientId)
                .map(list -> list.stream().anyMatch(s -> secretId.equals(s.id()) && "active".equals(s.status()))));
    }

    /** Invalidates; idempotent. 409 {@code secret_in_use} (with {@code webhookIds}) while a webhook holds it. */
    public Uni<Void> invalidate(String env, String clientId, String secretId) {
        return answered(internal.invalidate(env, clientId, secretId));
    }

    private static <T> Uni<T> answered(Uni<T> call) {
        return ServiceCalls.answered(call, "Rotation secrets", "credentials_unavailable", UNAVAILABLE, 5);
    }
}
