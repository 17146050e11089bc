package io.keyhook.credentials.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.security.Roles;
import io.keyhook.credentials.service.ClientRef;
import io.keyhook.credentials.service.SecretService;
import io.smallrye.mutiny.Uni;

/**
 * Internal, service-authenticated: webhook-config-service finishes a guided rotation (possibly long after the admin
 * started it, with no admin token at hand) by invalidating the old secret. Same rules as the admin endpoint: refused
 * (409 naming the webhooks) while any webhook still holds it; audited, with the service as the actor.
 */
@Path("/internal/v1/environments/{env}/clients/{clientId}/secrets/{secretId}/invalidate")
@RolesAllowed(Roles.SERVICE)
@Tag(name = "Secrets (internal)", description = "Only Keyhook services may call it")
public class InternalSecretResource {

    @Inject
    SecretService secrets;

    @POST
    @Operation(summary = "Invalidate a secret at the end of a guided rotation; 409 while a webhook uses it")
    public Uni<SecretResponse> invalidate(@PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @PathParam("clientId") @Pattern(regexp = Patterns.OBJECT_ID) String clientId,
            @PathParam("secretId") @Pattern(regexp = Patterns.OBJECT_ID) String secretId) {
        return secrets.invalidate(ClientRef.api(env, clientId), secretId);
    }
}
