package io.keyhook.credentials.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.core.error.ProblemException;
import io.keyhook.credentials.messaging.OutboxWriter;
import io.keyhook.credentials.persistence.ClientEntity;
import io.keyhook.credentials.persistence.ClientRepository;
import io.keyhook.credentials.persistence.SecretRepository;
import io.smallrye.mutiny.Uni;

/** Finds clients the caller may see, and republishes a client's state after a change. */
@ApplicationScoped
public class ClientLookup {

    @Inject
    ClientRepository clients;

    @Inject
    SecretRepository secrets;

    @Inject
    EnvironmentService environments;

    @Inject
    OutboxWriter outbox;

    /** The client, optionally row-locked; 404 if it (or its Environment, for the caller) does not exist. */
    Uni<ClientEntity> find(ClientRef ref, boolean lock) {
        if (ref.isAdmin()) {
            return clients.adminClient(ref.clientId(), lock).onItem().ifNull().failWith(() -> notFound(ref));
        }
        return environments.find(ref.environmentId())
                .chain(e -> clients.apiClient(ref.environmentId(), ref.clientId(), lock)).onItem().ifNull()
                .failWith(() -> notFound(ref));
    }

    /** Writes the client's full state (all its secrets) to the outbox; call inside the transaction. */
    Uni<Void> publish(ClientEntity client) {
        return secrets.flush().chain(() -> secrets.ofClient(client.id)).chain(all -> outbox.clientChanged(client, all));
    }

    static ProblemException notFound(ClientRef ref) {
        return ProblemException.notFound("client_not_found", "Client '" + ref.clientId() + "' does not exist");
    }
}
