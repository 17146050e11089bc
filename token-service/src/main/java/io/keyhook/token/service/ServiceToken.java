package io.keyhook.token.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.crypto.SecretGenerator;
import io.keyhook.common.security.Roles;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.signing.AccessToken;
import io.keyhook.token.signing.AccessTokenSigner;

/**
 * token-service's own bearer token for credentials-service's internal API (role {@code keyhook-service}), signed with
 * its own key: it is the issuer every admin API trusts. Renewed at half its lifetime.
 */
@ApplicationScoped
public class ServiceToken {

    static final String SUBJECT = "token-service";

    @Inject
    AccessTokenSigner signer;

    @Inject
    TokenConfig config;

    private volatile String bearer;
    private volatile Instant renewAt = Instant.EPOCH;

    public String bearer() {
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
