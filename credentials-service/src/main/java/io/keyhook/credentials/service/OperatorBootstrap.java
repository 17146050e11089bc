package io.keyhook.credentials.service;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.credentials.api.AdminClientCreateRequest;
import io.keyhook.credentials.config.CredentialsConfig;
import io.keyhook.credentials.persistence.ClientRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * Creates the operator admin client (and the service client the other Keyhook services log in as) on first start, from
 * {@code keyhook.credentials.bootstrap.*}, so a new install can be driven at once (SPEC.md section 6). Does nothing for
 * a client that already exists.
 */
@ApplicationScoped
public class OperatorBootstrap {

    private static final Logger LOG = Logger.getLogger(OperatorBootstrap.class);

    @Inject
    CredentialsConfig config;

    @Inject
    ClientRepository clients;

    @Inject
    AdminClientService adminClients;

    void onStart(@Observes StartupEvent event) throws Throwable {
        var boot = config.bootstrap();
        ensure(boot.operatorClientId(), boot.operatorSecret(), "operator", "Bootstrap operator",
                List.of("platform-operator", "integration-admin"));
        ensure(boot.serviceClientId(), boot.serviceSecret(), "service", "Keyhook services", List.of("keyhook-service"));
    }

    private void ensure(Optional<String> clientId, Optional<String> secretValue, String kind, String name,
            List<String> groups) throws Throwable {
        if (clientId.isEmpty()) {
            return;
        }
        String id = clientId.get();
        String secret = secretValue.orElseThrow(() -> new IllegalStateException(
                "keyhook.credentials.bootstrap." + kind + "-secret is required with the client id"));
        if (secret.length() < 32) {
            throw new IllegalStateException(
                    "keyhook.credentials.bootstrap." + kind + "-secret must have at least 32 characters");
        }
        VertxContextSupport.subscribeAndAwait(() -> exists(id).chain(found -> {
            if (found) {
                return Uni.createFrom().voidItem();
            }
            LOG.infof("Creating the bootstrap %s admin client %s", kind, id);
            return adminClients.createWith(id, secret, new AdminClientCreateRequest(name,
                    "Created on first start from configuration", groups, List.of("*"))).replaceWithVoid();
        }));
    }

    @WithSession
    Uni<Boolean> exists(String id) {
        return clients.findById(id).map(c -> c != null);
    }
}
