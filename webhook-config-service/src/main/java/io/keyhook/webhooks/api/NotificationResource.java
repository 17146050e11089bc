package io.keyhook.webhooks.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.api.QueryParams;
import io.keyhook.common.security.Roles;
import io.keyhook.webhooks.service.NotificationService;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/environments/{env}")
@RolesAllowed(Roles.INTEGRATION_ADMIN)
@Tag(name = "Notifications", description = "Where an Environment's operational events are e-mailed, and its activity feed")
public class NotificationResource {

    @Inject
    NotificationService service;

    @GET
    @Path("/notification-settings")
    @Operation(summary = "The Environment's notification addresses", description = "{\"emails\": []} when none are set.")
    public Uni<NotificationSettingsBody> settings(@PathParam("env") @Pattern(regexp = WebhookResource.ENV) String env) {
        return service.settings(env);
    }

    @PUT
    @Path("/notification-settings")
    @Operation(summary = "Replace the Environment's notification addresses", description = "At most 10 bare addresses"
            + " (local@domain: no display name, no control characters, <= 254 characters); 422 too_many_addresses,"
            + " invalid_email (errors name emails[i]), duplicate_email. Audited notification-settings.update.")
    public Uni<NotificationSettingsBody> put(@PathParam("env") @Pattern(regexp = WebhookResource.ENV) String env,
            @NotNull @Valid NotificationSettingsBody body) {
        return service.put(env, body);
    }

    @GET
    @Path("/activity")
    @Operation(summary = "The Environment's operational events, newest first", description = "type: one operational"
            + " event type (e.g. keyhook.webhook.failing); cursor: nextCursor of the previous page. Kept for"
            + " keyhook.notifications.activity-retention (30 days by default).")
    public Uni<ActivityPageResponse> activity(@PathParam("env") @Pattern(regexp = WebhookResource.ENV) String env,
            @QueryParam("type") @Pattern(regexp = "^[a-z][a-z0-9.]{0,99}$") String type,
            @QueryParam("cursor") @Pattern(regexp = "^[0-9]{1,19}$") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return service.activity(env, type, QueryParams.cursor(cursor), limit);
    }
}
