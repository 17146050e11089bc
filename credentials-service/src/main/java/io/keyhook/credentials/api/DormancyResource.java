package io.keyhook.credentials.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.api.QueryParams;
import io.keyhook.common.security.Roles;
import io.keyhook.credentials.service.DormancyService;
import io.smallrye.mutiny.Uni;

/** The dormancy report of an Environment's credentials. */
@Path("/api/v1/environments/{env}/dormant-credentials")
@Tag(name = "Secrets", description = "Credentials nobody uses")
public class DormancyResource {

    @Inject
    DormancyService service;

    @GET
    @RolesAllowed({ Roles.INTEGRATION_ADMIN, Roles.PLATFORM_OPERATOR })
    @Operation(summary = "Active secrets (secretId) and private_key_jwt keys (kid) not used for unusedForDays days (0 to 3650, default 30), the longest unused first; limit 1 to 1000 (default 200)")
    public Uni<DormantCredentialsResponse> report(
            @PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @QueryParam("unusedForDays") @Size(max = 12) String unusedForDays,
            @QueryParam("limit") @Size(max = 12) String limit) {
        return service.report(env, QueryParams.integer("unusedForDays", unusedForDays, 30, 0, 3650),
                QueryParams.integer("limit", limit, 200, 1, 1000));
    }
}
