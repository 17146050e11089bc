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

import com.nimbusds.jose.JWSAlgorithm;

import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.service.SigningKey;
import io.keyhook.token.service.SigningKeys;
import io.keyhook.token.service.TokenEndpoint;
import io.keyhook.token.view.ClientKeys;

/**
 * The JWKS (RFC 7517), the authorization server metadata (RFC 8414) and the SMART App Launch 2 configuration
 * ({@code /.well-known/smart-configuration}, for SMART Backend Services clients).
 */
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

    /** The client assertion algorithms, RS384 and ES384 (SMART's required pair) first. */
    static final List<String> ASSERTION_ALGORITHMS = ClientKeys.ALGORITHMS.stream().map(JWSAlgorithm::getName).toList();
    static final String PRIVATE_KEY_JWT = "private_key_jwt";
    /** SMART v1 and v2 system scopes on every data type, listed besides Keyhook's own read and write. */
    static final List<String> SMART_SYSTEM_SCOPES = List.of("system/*.read", "system/*.write", "system/*.rs",
            "system/*.cruds");

    @GET
    @Path("/smart-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "SMART App Launch 2 configuration", description = "For SMART Backend Services clients"
            + " (client-confidential-asymmetric): the token endpoint, private_key_jwt and its algorithms. A platform"
            + " serving its FHIR API elsewhere proxies or copies this document to <fhir-base>/.well-known/smart-configuration.")
    public Map<String, Object> smartConfiguration() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", config.issuer());
        m.put("jwks_uri", endpoint.base() + "/.well-known/jwks.json");
        m.put("token_endpoint", endpoint.url());
        m.put("grant_types_supported", List.of(TokenExchange.CLIENT_CREDENTIALS));
        m.put("token_endpoint_auth_methods_supported",
                List.of(PRIVATE_KEY_JWT, "client_secret_basic", "client_secret_post"));
        m.put("token_endpoint_auth_signing_alg_values_supported", ASSERTION_ALGORITHMS);
        List<String> scopes = new java.util.ArrayList<>(config.apiScopes());
        SMART_SYSTEM_SCOPES.stream().filter(x -> !scopes.contains(x)).forEach(scopes::add);
        m.put("scopes_supported", scopes);
        m.put("capabilities", List.of("client-confidential-asymmetric", "permission-v2"));
        return m;
    }

    @GET
    @Path("/oauth-authorization-server")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Authorization server metadata (RFC 8414)")
    public Map<String, Object> metadata() {
        String base = endpoint.base();
        List<String> authMethods = List.of("client_secret_basic", "client_secret_post", PRIVATE_KEY_JWT);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", config.issuer());
        m.put("token_endpoint", endpoint.url());
        m.put("jwks_uri", base + "/.well-known/jwks.json");
        m.put("grant_types_supported", List.of(TokenExchange.CLIENT_CREDENTIALS, TokenExchange.JWT_BEARER));
        m.put("response_types_supported", List.of());
        m.put("scopes_supported", config.apiScopes());
        m.put("token_endpoint_auth_methods_supported", authMethods);
        m.put("token_endpoint_auth_signing_alg_values_supported", ASSERTION_ALGORITHMS);
        m.put("introspection_endpoint", base + "/oauth2/introspect");
        m.put("introspection_endpoint_auth_methods_supported", authMethods);
        m.put("introspection_endpoint_auth_signing_alg_values_supported", ASSERTION_ALGORITHMS);
        m.put("revocation_endpoint", base + "/oauth2/revoke");
        m.put("revocation_endpoint_auth_methods_supported", authMethods);
        m.put("revocation_endpoint_auth_signing_alg_values_supported", ASSERTION_ALGORITHMS);
        m.put("access_token_signing_alg_values_supported",
                keys.publishedAlgorithms().stream().map(Enum::name).toList());
        return m;
    }
}
