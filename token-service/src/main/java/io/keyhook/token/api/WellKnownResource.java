package io.keyhook.token.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.service.SigningKey;
import io.keyhook.token.service.SigningKeys;
import io.keyhook.token.service.TokenEndpoint;

/** The JWKS (RFC 7517) and the authorization server metadata (RFC 8414). */
@Path("/.well-known")
@Tag(name = "Discovery")
public class WellKnownResource {

    @Inject
    SigningKeys keys;

    @Inject
    TokenEndpoint endpoint;

    @Inject
    TokenConfig config;

    @GET
    @Path("/jwks.json")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The public signing keys", description = "Every key that signs now, will sign soon, or signed a token that has not expired yet.")
    public Response jwks() {
        StringBuilder body = new StringBuilder("{\"keys\":[");
        List<SigningKey> published = keys.published();
        for (int i = 0; i < published.size(); i++) {
            body.append(i == 0 ? "" : ",").append(published.get(i).publicJwk());
        }
        body.append("]}");
        // short enough that a new key is seen well within its publish-ahead time
        return Response.ok(body.toString()).header("Cache-Control", "public, max-age=300").build();
    }

    @GET
    @Path("/oauth-authorization-server")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Authorization server metadata (RFC 8414)")
    public Map<String, Object> metadata() {
        String base = endpoint.base();
        List<String> authMethods = List.of("client_secret_basic", "client_secret_post");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", config.issuer());
        m.put("token_endpoint", endpoint.url());
        m.put("jwks_uri", base + "/.well-known/jwks.json");
        m.put("grant_types_supported", List.of(TokenExchange.CLIENT_CREDENTIALS, TokenExchange.JWT_BEARER));
        m.put("response_types_supported", List.of());
        m.put("scopes_supported", config.apiScopes());
        m.put("token_endpoint_auth_methods_supported", authMethods);
        m.put("introspection_endpoint", base + "/oauth2/introspect");
        m.put("introspection_endpoint_auth_methods_supported", authMethods);
        m.put("revocation_endpoint", base + "/oauth2/revoke");
        m.put("revocation_endpoint_auth_methods_supported", authMethods);
        m.put("access_token_signing_alg_values_supported",
                keys.publishedAlgorithms().stream().map(Enum::name).toList());
        return m;
    }
}
