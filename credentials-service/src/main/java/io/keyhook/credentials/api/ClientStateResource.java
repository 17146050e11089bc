package io.keyhook.credentials.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.contract.ClientStateRecord;
import io.keyhook.common.security.Roles;
import io.keyhook.core.error.ProblemException;
import io.keyhook.credentials.messaging.OutboxWriter;
import io.keyhook.credentials.persistence.ClientRepository;
import io.keyhook.credentials.persistence.SecretRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Internal, service-authenticated: a client's current state record, exactly as {@code keyhook.credentials} carries it.
 * token-service asks when its view does not know a client or secret yet, so a secret works the moment it is created.
 */
@Path("/internal/v1/clients/{clientId}")
@RolesAllowed(Roles.SERVICE)
@Tag(name = "Client state (internal)", description = "Only Keyhook services may call it")
public class ClientStateResource {

    @Inject
    ClientRepository clients;

    @Inject
    SecretRepository secrets;

    @GET
    @WithSession
    @Operation(summary = "A client's current state record (verifiers and ciphertexts, never a secret)")
    public Uni<ClientStateRecord> get(@PathParam("clientId") @Pattern(regexp = Patterns.OBJECT_ID) String clientId) {
        return clients.findById(clientId).chain(c -> {
            if (c == null) {
                return Uni.createFrom()
                        .failure(ProblemException.notFound("client_not_found", "No client " + clientId + "."));
            }
            return secrets.ofClient(c.id).map(list -> OutboxWriter.stateOf(c, list));
        });
    }
}
