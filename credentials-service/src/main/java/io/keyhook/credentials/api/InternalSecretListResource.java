package io.keyhook.credentials.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.security.Roles;
import io.keyhook.credentials.service.ClientRef;
import io.keyhook.credentials.service.SecretService;
import io.smallrye.mutiny.Uni;

/**
 * Internal, service-authenticated: a client's secrets as the admin listing shows them (never a value), with
 * {@code lastUsedAt}. webhook-config-service reads it before a verified rotation's finish, possibly long after the
 * admin started it and with no admin token at hand, to prove the app stopped using the old secret.
 */
@Path("/internal/v1/environments/{env}/clients/{clientId}/secrets")
@RolesAllowed(Roles.SERVICE)
@Tag(name = "Secrets (internal)", description = "Only Keyhook services may call it")
public class InternalSecretListResource {

    @Inject
    SecretService secrets;

    @GET
    @Operation(summary = "A client's secrets with lastUsedAt (no values)")
    public Uni<List<SecretResponse>> list(@PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @PathParam("clientId") @Pattern(regexp = Patterns.OBJECT_ID) String clientId) {
        return secrets.list(ClientRef.api(env, clientId));
    }
}
