package io.keyhook.token.client;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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
    /** When the next failed lookup may be logged as a warning (nanoTime); at most one every 30 s. */
    private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());

    @Inject
    CredentialsLookup(MeterRegistry registry) {
        this.lookups = registry.counter("keyhook.token.credentials.lookups");
        this.failures = registry.counter("keyhook.token.credentials.lookup.failures");
    }

    /**
     * Makes one lookup of a client id nobody has, in the background, once the replica has started: the first call
     * through the REST client loads and compiles its whole path (and credentials-service's), and that cost should not
     * fall on the first app whose new secret this replica has not seen yet. credentials-service often comes up after
     * token-service (the runner starts every service at once, a rollout restarts them in any order), so a warm-up that
     * finds nobody is tried again every {@link #WARM_UP_EVERY} until it is answered, for at most
     * {@link #WARM_UP_GIVE_UP}: a single try left the path cold, and the first lookup then outlasted its timeout and
     * refused a brand-new secret. Not counted as a lookup.
     */
    void warmUp(@Observes StartupEvent event) {
        warmUntilAnswered(WARM_UP_EVERY, WARM_UP_GIVE_UP).subscribe().with(
                done -> LOG.debug("Credentials lookup path warmed up"),
                e -> LOG.warnf("credentials-service did not answer the lookup warm-up within %s: %s", WARM_UP_GIVE_UP,
                        e.toString()));
    }

    /** How often an unanswered warm-up is tried again. */
    static final Duration WARM_UP_EVERY = Duration.ofSeconds(2);
    /** How long a replica keeps trying to warm its lookup path up. */
    static final Duration WARM_UP_GIVE_UP = Duration.ofMinutes(5);

    /** The warm-up lookup, tried again every {@code every} until credentials-service answers (404 is an answer). */
    public Uni<Void> warmUntilAnswered(Duration every, Duration giveUpAfter) {
        return Uni.createFrom().deferred(() -> api.client(WARM_UP_CLIENT_ID)).replaceWithVoid().onFailure().retry()
                .withBackOff(every, every).expireIn(giveUpAfter.toMillis());
    }

    /** Refreshes the client in the view from credentials-service; emits whether anything new was learnt. */
    public Uni<Boolean> refresh(String clientId) {
        return inFlight.computeIfAbsent(clientId, id -> {
            lookups.increment();
            return api.client(id).map(found -> found.map(view::apply).orElse(false)).onFailure().recoverWithItem(e -> {
                failures.increment();
                // a failed lookup can refuse a correct new secret: worth a warning, but a flood of unknown ids while
                // credentials-service is down must not flood the log
                if (mayWarn()) {
                    LOG.warnf("A lookup in credentials-service failed, so a client or secret this replica has not seen "
                            + "yet is refused: %s", e.toString());
                } else {
                    LOG.debugf("Lookup of %s in credentials-service failed: %s", id, e.toString());
                }
                return false;
            }).onTermination().invoke(() -> inFlight.remove(id)).memoize().indefinitely();
        });
    }

    /** How many lookups have been made (both "unknown client" and "unknown secret" cause exactly one). */
    public double lookups() {
        return lookups.count();
    }

    private boolean mayWarn() {
        long now = System.nanoTime();
        long next = nextWarning.get();
        return now - next >= 0 && nextWarning.compareAndSet(next, now + Duration.ofSeconds(30).toNanos());
    }
}
