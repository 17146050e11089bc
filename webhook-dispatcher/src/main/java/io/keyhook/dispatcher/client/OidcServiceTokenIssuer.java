package io.keyhook.dispatcher.client;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.client.ServiceToken;
import io.keyhook.common.client.ServiceTokenIssuer;
import io.quarkus.oidc.client.OidcClient;
import io.smallrye.mutiny.Uni;

/**
 * This service's token from token-service: client credentials of the service admin client, by quarkus-oidc-client
 * ({@code quarkus.oidc-client.*}). Held, renewed and dropped by common's {@link ServiceToken}.
 */
@ApplicationScoped
public class OidcServiceTokenIssuer implements ServiceTokenIssuer {

    @Inject
    OidcClient client;

    @Override
    public Uni<Issued> issue() {
        return client.getTokens().map(t -> new Issued(t.getAccessToken(),
                t.getAccessTokenExpiresAt() == null ? null : Instant.ofEpochSecond(t.getAccessTokenExpiresAt())));
    }
}
