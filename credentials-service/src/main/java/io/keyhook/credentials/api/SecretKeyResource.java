package io.keyhook.credentials.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.security.Roles;
import io.keyhook.credentials.service.SecretRewrapJob;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/secret-encryption-key")
@RolesAllowed(Roles.PLATFORM_OPERATOR)
@Tag(name = "Secret encryption", description = "Rotation of the key that encrypts client secrets at rest")
public class SecretKeyResource {

    @Inject
    SecretRewrapJob job;

    /** The outcome of a rotation. */
    public record RotationResponse(int rewrapped) {
    }

    @POST
    @Path("/rotate")
    @Operation(summary = "Rotate the encryption key and rewrap every secret under the new version")
    public Uni<RotationResponse> rotate() {
        return job.rotateAndRewrap().map(RotationResponse::new);
    }
}
