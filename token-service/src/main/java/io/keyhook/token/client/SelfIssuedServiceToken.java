package io.keyhook.token.client;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.client.ServiceToken;
import io.keyhook.common.client.ServiceTokenIssuer;
import io.keyhook.common.security.Roles;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.service.AccessToken;
import io.keyhook.token.service.AccessTokenSigner;
import io.smallrye.mutiny.Uni;

/**
 * token-service's own bearer token on its calls to credentials-service's internal API (role {@code keyhook-service}).
 * The other services get theirs from token-service through quarkus-oidc-client; token-service is that issuer, so it
 * signs its own with its current key instead of asking itself (which would need credentials-service to answer first).
 * Held, renewed and dropped by common's {@link ServiceToken}.
 */
@ApplicationScoped
public class SelfIssuedServiceToken implements ServiceTokenIssuer {

    static final String SUBJECT = "token-service";

    @Inject
    AccessTokenSigner signer;

    @Inject
    TokenConfig config;

    @Override
    public Uni<Issued> issue() {
        return Uni.createFrom().item(() -> {
            Instant now = Instant.now();
            Instant expires = now.plus(config.adminTokenLifetime());
            return new Issued(
                    signer.sign(new AccessToken(SecretGenerator.newId("jti"), SUBJECT, config.adminAudience(), null,
                            null, null, List.of(Roles.SERVICE), List.of(Roles.ALL_ENVIRONMENTS), now, expires)),
                    expires);
        });
    }
}
