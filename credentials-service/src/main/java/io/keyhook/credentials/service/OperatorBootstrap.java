package io.keyhook.credentials.service;

import java.util.List;

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
 * Creates the operator admin client on first start, from {@code keyhook.credentials.bootstrap.*}, so a new install can
 * be driven at once (SPEC.md section 6). Does nothing when it already exists.
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
        if (boot.operatorClientId().isEmpty()) {
            return;
        }
        String id = boot.operatorClientId().get();
        String secret = boot.operatorSecret().orElseThrow(() -> new IllegalStateException(
                "keyhook.credentials.bootstrap.operator-secret is required with the client id"));
        if (secret.length() < 32) {
            throw new IllegalStateException(
                    "keyhook.credentials.bootstrap.operator-secret must have at least 32 characters");
        }
        VertxContextSupport.subscribeAndAwait(() -> exists(id).chain(found -> {
            if (found) {
                return Uni.createFrom().voidItem();
            }
            LOG.infof("Creating the bootstrap operator admin client %s", id);
            return adminClients.createWith(id, secret,
                    new AdminClientCreateRequest("Bootstrap operator", "Created on first start from configuration",
                            List.of("platform-operator", "integration-admin"), List.of("*")))
                    .replaceWithVoid();
        }));
    }

    @WithSession
    Uni<Boolean> exists(String id) {
        return clients.findById(id).map(c -> c != null);
    }
}
