package io.keyhook.token.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.net.ClientAddress;
import io.keyhook.token.service.AccessToken;
import io.keyhook.token.service.AccessTokenVerifier;
import io.keyhook.token.service.OAuthException;
import io.keyhook.token.service.Revocations;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * RFC 7009 token revocation. A client may revoke only tokens issued to it; an unknown or malformed token is answered
 * 200 as section 2.2 requires (there is nothing to revoke).
 */
@Path("/oauth2/revoke")
@Tag(name = "OAuth 2.0")
public class RevocationResource {

    @Inject
    ClientAddress addresses;

    @Inject
    CallerForm form;

    @Inject
    AccessTokenVerifier verifier;

    @Inject
    Revocations revocations;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Revoke an access token (RFC 7009)")
    public Uni<Response> revoke(String body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest request) {
        String source = addresses.of(request);
        return Uni.createFrom()
                .deferred(() -> form.authenticate(body, authorization, source, "revocation.refused").chain(r -> {
                    AccessToken t = verifier.readSigned(r.token());
                    if (t == null || t.jti() == null) {
                        return Uni.createFrom().item(Response.ok().header("Cache-Control", "no-store").build());
                    }
                    String caller = r.caller().client().clientId();
                    if (!caller.equals(t.clientId())) {
                        throw OAuthException.badRequest(OAuthException.UNAUTHORIZED_CLIENT,
                                "the token was not issued to this client");
                    }
                    return revocations.revoke(t, caller, source)
                            .map(ignored -> Response.ok().header("Cache-Control", "no-store").build());
                })).onFailure().recoverWithItem(t -> OAuthResponses.error(OAuthResponses.asOAuth(t), authorization));
    }
}
