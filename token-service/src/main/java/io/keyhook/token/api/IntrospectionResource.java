package io.keyhook.token.api;

import java.util.Map;

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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.net.ClientAddress;
import io.keyhook.token.service.Introspection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * RFC 7662 token introspection; the caller authenticates as a client (a secret, Basic or body, or a client assertion).
 */
@Path("/oauth2/introspect")
@Tag(name = "OAuth 2.0")
public class IntrospectionResource {

    @Inject
    ClientAddress addresses;

    @Inject
    CallerForm form;

    @Inject
    Introspection introspection;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Introspect an access token (RFC 7662)", description = "active:false for tokens that are expired, revoked, issued under an invalidated secret or a disabled client, not ours, or of another Environment.")
    public Uni<Response> introspect(String body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest request) {
        String source = addresses.of(request);
        return Uni.createFrom()
                .deferred(() -> form.authenticate(body, authorization, source, "introspection.refused")
                        .chain(r -> introspection.introspect(r.caller().client(), r.token())).map(this::write))
                .onFailure().recoverWithItem(t -> OAuthResponses.error(OAuthResponses.asOAuth(t), authorization));
    }

    private Response write(Map<String, Object> answer) {
        try {
            return OAuthResponses.json(json.writeValueAsString(answer));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
