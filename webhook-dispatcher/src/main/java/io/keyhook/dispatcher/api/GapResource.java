package io.keyhook.dispatcher.api;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.api.QueryParams;
import io.keyhook.common.security.Caller;
import io.keyhook.common.security.Roles;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.id.Ids;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.config.GapsConfig;
import io.keyhook.dispatcher.service.GapCursor;
import io.keyhook.dispatcher.service.GapManifestPages;
import io.smallrye.mutiny.Uni;

/** The gap manifest of a webhook: the records its receiver missed, signed as a delivery to it is. */
@Path("/api/v1/environments/{env}/webhooks/{webhookId}/gaps")
@RolesAllowed(Roles.INTEGRATION_ADMIN)
@Tag(name = "Gap manifest", description = "The records a webhook's receiver missed (deliveries that ended failed or expired)")
public class GapResource {

    @Inject
    GapManifestPages pages;

    @Inject
    DispatcherConfig config;

    @Inject
    GapsConfig gaps;

    @Inject
    Caller caller;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "One page, oldest last event first; signed with the webhook-id, webhook-timestamp and webhook-signature headers of the webhook's deliveries", content = @Content(mediaType = "application/json", schema = @Schema(implementation = GapManifestPages.GapPage.class)))
    @Operation(summary = "The records the webhook's receiver missed", description = "One entry per record whose latest delivery ended failed (retries ran out) or expired (held past its retention), with the last such event; an entry is resolved (and left out unless include=resolved) once a newer event of the record is delivered."
            + " since (RFC 3339, default: the delivery log's retention ago) keeps entries whose last event is at or after it; paging with cursor (nextCursor) and limit (default 100)."
            + " 400 invalid_timestamp, invalid_cursor, invalid_query_parameter; 404 webhook_not_found; 409 manifest_not_signable.")
    public Uni<Response> list(@PathParam("env") @Pattern(regexp = Ids.ENVIRONMENT) String env,
            @PathParam("webhookId") @Pattern(regexp = Ids.WEBHOOK) String webhookId, @QueryParam("since") String since,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit,
            @QueryParam("include") String include) {
        caller.requireEnvironment(env);
        Instant from = QueryParams.instant("since", since);
        if (from == null) {
            from = Instant.now().minus(config.delivery().logRetention());
        }
        GapCursor after = null;
        if (cursor != null && !cursor.isEmpty()) {
            after = GapCursor.parse(cursor);
            if (after == null) {
                throw ProblemException.badRequest("invalid_cursor", "cursor must be a value from nextCursor");
            }
        }
        int size = QueryParams.integer("limit", limit, 100, 1, gaps.maxPageSize());
        if (include != null && !include.isEmpty() && !"resolved".equals(include)) {
            throw ProblemException.badRequest("invalid_query_parameter", "include must be resolved (or absent)");
        }
        return pages.page(env, webhookId, from, after, "resolved".equals(include), size).map(signed -> {
            Response.ResponseBuilder r = Response.ok(signed.body(), MediaType.APPLICATION_JSON_TYPE);
            signed.headers().forEach(r::header);
            return r.build();
        });
    }
}
