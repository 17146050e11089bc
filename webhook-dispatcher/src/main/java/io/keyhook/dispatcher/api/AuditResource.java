package io.keyhook.dispatcher.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.api.QueryParams;
import io.keyhook.common.security.Caller;
import io.keyhook.common.security.Roles;
import io.keyhook.dispatcher.persistence.SecretUseAudit;
import io.smallrye.mutiny.Uni;

/** The dispatcher's audit trail: every client secret sent to (or withheld from) a receiver's token URL. */
@Path("/api/v1/environments/{env}/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.INTEGRATION_ADMIN, Roles.PLATFORM_OPERATOR })
@Tag(name = "Audit", description = "Uses of client secrets toward receivers' token URLs (token-exchange)")
public class AuditResource {

    /** One page, newest first; {@code nextCursor} is null on the last page. */
    public record Page(List<SecretUseAudit.Entry> items, String nextCursor) {
    }

    @Inject
    SecretUseAudit audit;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "Secret uses of token-exchange webhooks, newest first")
    public Uni<Page> list(@PathParam("env") @Pattern(regexp = DeliveryResource.ENV) String env,
            @QueryParam("cursor") @Pattern(regexp = "^[0-9]{1,19}$") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        caller.requireEnvironment(env);
        return audit.page(env, QueryParams.cursor(cursor), limit)
                .map(page -> new Page(page.items(), page.nextCursor()));
    }
}
