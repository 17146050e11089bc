package io.keyhook.webhooks.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.api.Responses;
import io.keyhook.common.security.Roles;
import io.keyhook.core.id.Ids;
import io.keyhook.webhooks.service.SigningKeyService;
import io.smallrye.mutiny.Uni;

/** A webhook's own signing keys (issue 30): listed with its public keys as a JWKS, added and retired for rotation. */
@Path("/api/v1/environments/{env}/webhooks/{id}/signing-keys")
@RolesAllowed(Roles.INTEGRATION_ADMIN)
@Tag(name = "Webhooks", description = "Where an Environment's notifications go, how they are secured, which types")
public class SigningKeyResource {

    static final String ENV = Ids.ENVIRONMENT;
    static final String ID = Ids.WEBHOOK;
    static final String KEY = "^whk_[0-9A-Za-z]{1,64}$";

    @Inject
    SigningKeyService service;

    @Inject
    ObjectMapper json;

    @Inject
    Validator validator;

    @GET
    @Operation(summary = "The webhook's own signing keys and its active Ed25519 public keys as a JWKS", description = "keys: every key or secret of the webhook's own (never a secret's value); jwks: the active Ed25519 keys (OKP, Ed25519, kid = key id), what a receiver verifies v1a signatures with. Both empty for a webhook signed with client secrets.")
    public Uni<SigningKeysResponse> list(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("id") @Pattern(regexp = ID) String id) {
        return service.list(env, id);
    }

    @POST
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SigningKeyResponse.class)))
    @Operation(summary = "Add an active signing key (rotation: both sign until the old one is retired)", description = "The kind the webhook signs with: an Ed25519 key pair (v1a) or a whsec_ secret (v1), whose value is in this answer only. 409 no_own_signing_keys for a webhook signed with client secrets; 409 too_many_signing_keys past 3 active keys.")
    public Uni<RestResponse<SigningKeyResponse>> add(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("id") @Pattern(regexp = ID) String id) {
        return service.add(env, id).map(k -> Responses
                .created("/api/v1/environments/" + env + "/webhooks/" + id + "/signing-keys/" + k.id(), k));
    }

    @POST
    @Path("/{keyId}/retire")
    @Operation(summary = "Retire a signing key: it never signs again (idempotent)", description = "Verified first: the receiver must answer 2xx to a keyhook.ping signed with only the active keys that stay, else 409 retire_not_verified with the ping's outcome; {\"override\": true, \"reason\": ...} retires without the proof (recorded and audited as webhook.signing-key.retire_override). 404 signing_key_not_found; 409 last_active_signing_key for the webhook's only active key.")
    @Consumes(MediaType.WILDCARD)
    @RequestBody(required = false, content = @Content(mediaType = "application/json", schema = @Schema(implementation = FinishBody.class)))
    public Uni<SigningKeysResponse> retire(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("id") @Pattern(regexp = ID) String id, @PathParam("keyId") @Pattern(regexp = KEY) String keyId,
            byte[] raw) {
        // as a rotation's finish: no body (and no Content-Type) is a plain, verified retirement
        FinishBody body = FinishBody.read(json, validator, raw);
        return service.retire(env, id, keyId, FinishBody.overrideReason(body));
    }
}
