package io.keyhook.token.client;

import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.token.view.CredentialView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Asks credentials-service for a client the local view does not know yet, or whose presented secret it has not seen
 * yet, so a secret works the moment its creation response is returned; what it learns goes into the view. Lookups for
 * the same client at the same time share one call. When credentials-service cannot answer, the answer is "unknown": the
 * token endpoint fails closed.
 */
@ApplicationScoped
public class CredentialsLookup {

    private static final Logger LOG = Logger.getLogger(CredentialsLookup.class);

    @Inject
    GuardedCredentialsApi api;

    @Inject
    CredentialView view;

    private final ConcurrentHashMap<String, Uni<Boolean>> inFlight = new ConcurrentHashMap<>();
    private final Counter lookups;
    private final Counter failures;

    @Inject
    CredentialsLookup(MeterRegistry registry) {
        this.lookups = registry.counter("keyhook.token.credentials.lookups");
        this.failures = registry.counter("keyhook.token.credentials.lookup.failures");
    }

    /** Refreshes the client in the view from credentials-service; emits whether anything new was learnt. */
    public Uni<Boolean> refresh(String clientId) {
        return inFlight.computeIfAbsent(clientId, id -> {
            lookups.increment();
            return api.client(id).map(found -> found.map(view::apply).orElse(false)).onFailure().recoverWithItem(e -> {
                LOG.debugf("Lookup of %s in credentials-service failed: %s", id, e.toString());
                failures.increment();
                return false;
            }).onTermination().invoke(() -> inFlight.remove(id)).memoize().indefinitely();
        });
    }

    /** How many lookups have been made (both "unknown client" and "unknown secret" cause exactly one). */
    public double lookups() {
        return lookups.count();
    }
}
