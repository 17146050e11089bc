package io.keyhook.token.client;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

import io.keyhook.common.crypto.SecretGenerator;
import io.keyhook.common.security.Roles;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.signing.AccessToken;
import io.keyhook.token.signing.AccessTokenSigner;

/**
 * token-service's own bearer token on its calls to credentials-service's internal API (role {@code keyhook-service}).
 * The other services get theirs through quarkus-oidc-client from token-service; token-service is that issuer, so it
 * signs its own with its current key instead of asking itself (which would need credentials-service to answer first).
 * Renewed at half its lifetime.
 */
@ApplicationScoped
public class SelfIssuedServiceToken implements ClientRequestFilter {

    static final String SUBJECT = "token-service";

    @Inject
    AccessTokenSigner signer;

    @Inject
    TokenConfig config;

    private volatile String bearer;
    private volatile Instant renewAt = Instant.EPOCH;

    @Override
    public void filter(ClientRequestContext request) {
        request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, bearer());
    }

    String bearer() {
        Instant now = Instant.now();
        if (now.isAfter(renewAt)) {
            Instant expires = now.plus(config.adminTokenLifetime());
            bearer = "Bearer "
                    + signer.sign(new AccessToken(SecretGenerator.newId("jti"), SUBJECT, config.adminAudience(), null,
                            null, null, List.of(Roles.SERVICE), List.of(Roles.ALL_ENVIRONMENTS), now, expires));
            renewAt = now.plus(config.adminTokenLifetime().dividedBy(2));
        }
        return bearer;
    }
}
