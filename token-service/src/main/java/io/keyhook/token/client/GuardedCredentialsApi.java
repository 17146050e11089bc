package io.keyhook.token.client;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.keyhook.common.client.ServiceCalls;
import io.keyhook.common.contract.ClientStateRecord;
import io.smallrye.mutiny.Uni;

/**
 * credentials-service as the token path needs it: a client it does not have is an empty answer, not a failure. The
 * timeout, retry and circuit breaker are on {@link CredentialsApi}.
 */
@ApplicationScoped
public class GuardedCredentialsApi {

    @Inject
    @RestClient
    CredentialsApi api;

    /** The client's current record, or empty when credentials-service does not know it. Fails when unreachable. */
    public Uni<Optional<ClientStateRecord>> client(String clientId) {
        return api.client(clientId).map(Optional::of).onFailure(ServiceCalls::notFound)
                .recoverWithItem(Optional.empty());
    }

    /** Reports secret uses for lastUsedAt. */
    public Uni<Void> reportUsage(CredentialsApi.SecretUsage usage) {
        return api.reportUsage(usage);
    }

    /** Reports key uses of private_key_jwt clients for firstUsedAt/lastUsedAt. */
    public Uni<Void> reportKeyUsage(CredentialsApi.KeyUsage usage) {
        return api.reportKeyUsage(usage);
    }
}
