package io.keyhook.credentials.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.api.QueryParams;
import io.keyhook.common.security.Roles;
import io.keyhook.credentials.service.AuditService;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/environments/{env}/audit")
@Tag(name = "Audit", description = "Who did what, when, with what result (never secret values)")
public class AuditResource {

    @Inject
    AuditService service;

    @GET
    @RolesAllowed({ Roles.INTEGRATION_ADMIN, Roles.PLATFORM_OPERATOR })
    @Operation(summary = "Page through the Environment's audit trail, newest first")
    public Uni<AuditPageResponse> page(@PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @QueryParam("actor") @Size(max = 200) String actor, @QueryParam("action") @Size(max = 64) String action,
            @QueryParam("target") @Size(max = 128) String target, @QueryParam("result") @Size(max = 64) String result,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("cursor") @Size(max = 20) String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return service.page(env, actor, action, target, result, QueryParams.instant("from", from),
                QueryParams.instant("to", to), cursor, limit);
    }
}
