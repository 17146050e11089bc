package io.keyhook.webhooks.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.keyhook.common.api.QueryParams;
import io.keyhook.common.api.Responses;
import io.keyhook.common.security.Roles;
import io.keyhook.core.id.Ids;
import io.keyhook.webhooks.service.WebhookBreakers;
import io.keyhook.webhooks.service.WebhookService;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/environments/{env}")
@RolesAllowed(Roles.INTEGRATION_ADMIN)
@Tag(name = "Webhooks", description = "Where an Environment's notifications go, how they are secured, which types")
public class WebhookResource {

    private static final String PINNED = "422 secret_pinned_elsewhere (disclosedTo: secret id -> site) when token-exchange"
            + " would send a secret to a site other than the one it was first sent to: a token-exchange secret is pinned"
            + " to its token URL's site (registrable domain, or the host) for good.";

    static final String ENV = Ids.ENVIRONMENT;
    static final String ID = Ids.WEBHOOK;

    @Inject
    WebhookService service;

    @Inject
    WebhookBreakers breakers;

    @GET
    @Path("/notification-types")
    @Operation(summary = "Every notification type the Environment's Configuration offers (<dataType>.<action>)")
    public Uni<List<String>> notificationTypes(@PathParam("env") @Pattern(regexp = ENV) String env) {
        return service.notificationTypes(env);
    }

    @GET
    @Path("/webhooks")
    @Operation(summary = "The Environment's webhooks")
    public Uni<List<WebhookResponse>> list(@PathParam("env") @Pattern(regexp = ENV) String env) {
        return breakers.addAll(env, service.list(env));
    }

    @GET
    @Path("/webhook-limits")
    @Operation(summary = "How many webhooks the Environment has and may have", description = "maxWebhooks is keyhook.webhooks.max-per-environment; a create past it answers 409 webhook_limit_reached. maxNotificationTypes is per webhook.")
    public Uni<WebhookLimitsResponse> limits(@PathParam("env") @Pattern(regexp = ENV) String env) {
        return service.limits(env);
    }

    @POST
    @Path("/webhooks")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = WebhookResponse.class)))
    @Operation(summary = "Create a webhook", description = "409 webhook_limit_reached past keyhook.webhooks.max-per-environment; 422 naming each bad type, URL or secret; "
            + PINNED)
    public Uni<RestResponse<WebhookResponse>> create(@PathParam("env") @Pattern(regexp = ENV) String env,
            @NotNull @Valid WebhookBody body) {
        return breakers.add(env, service.create(env, body))
                .map(w -> Responses.created("/api/v1/environments/" + env + "/webhooks/" + w.id(), w));
    }

    @GET
    @Path("/webhooks/{id}")
    @Operation(summary = "One webhook")
    public Uni<WebhookResponse> get(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("id") @Pattern(regexp = ID) String id) {
        return breakers.add(env, service.get(env, id));
    }

    @PUT
    @Path("/webhooks/{id}")
    @Operation(summary = "Replace a webhook", description = PINNED)
    public Uni<WebhookResponse> replace(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("id") @Pattern(regexp = ID) String id, @NotNull @Valid WebhookBody body) {
        return breakers.add(env, service.replace(env, id, body));
    }

    @PATCH
    @Path("/webhooks/{id}")
    @Operation(summary = "Change some fields of a webhook", description = PINNED)
    public Uni<WebhookResponse> patch(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("id") @Pattern(regexp = ID) String id, @NotNull @Valid WebhookPatchBody body) {
        return breakers.add(env, service.patch(env, id, body));
    }

    @DELETE
    @Path("/webhooks/{id}")
    @Operation(summary = "Delete a webhook and release its secrets")
    public Uni<Response> delete(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("id") @Pattern(regexp = ID) String id) {
        return service.delete(env, id).map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("/webhooks/{id}/pause")
    @Operation(summary = "Pause deliveries (events are held); idempotent")
    public Uni<WebhookResponse> pause(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("id") @Pattern(regexp = ID) String id) {
        return breakers.add(env, service.setPaused(env, id, true));
    }

    @GET
    @Path("/webhook-audit")
    @Operation(summary = "Who changed the Environment's webhooks, when, with what result; newest first")
    public Uni<AuditPageResponse> audit(@PathParam("env") @Pattern(regexp = ENV) String env,
            @QueryParam("cursor") @Pattern(regexp = "^[0-9]{1,19}$") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return service.audit(env, QueryParams.cursor(cursor), limit);
    }

    @POST
    @Path("/webhooks/{id}/resume")
    @Operation(summary = "Resume deliveries; idempotent")
    public Uni<WebhookResponse> resume(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("id") @Pattern(regexp = ID) String id) {
        return breakers.add(env, service.setPaused(env, id, false));
    }
}
