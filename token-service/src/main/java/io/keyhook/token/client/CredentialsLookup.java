package io.keyhook.token.client;

import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.token.view.CredentialView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
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

    /** A valid client id that is never issued (issued ids start with {@code cl_} or {@code adm_}). */
    public static final String WARM_UP_CLIENT_ID = "keyhook-warm-up";

    private final ConcurrentHashMap<String, Uni<Boolean>> inFlight = new ConcurrentHashMap<>();
    private final Counter lookups;
    private final Counter failures;

    @Inject
    CredentialsLookup(MeterRegistry registry) {
        this.lookups = registry.counter("keyhook.token.credentials.lookups");
        this.failures = registry.counter("keyhook.token.credentials.lookup.failures");
    }

    /**
     * Makes one lookup of a client id nobody has, in the background, once the replica has started: the first call
     * through the REST client loads and compiles its whole path, and that cost should not fall on the first app whose
     * new secret this replica has not seen yet. Not counted as a lookup; a failure (credentials-service down) only
     * means the first real lookup pays the cost instead.
     */
    void warmUp(@Observes StartupEvent event) {
        api.client(WARM_UP_CLIENT_ID).subscribe().with(found -> LOG.debug("Credentials lookup path warmed up"),
                e -> LOG.debugf("Credentials lookup warm-up failed: %s", e.toString()));
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
