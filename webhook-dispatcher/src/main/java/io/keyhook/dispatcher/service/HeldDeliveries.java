package io.keyhook.dispatcher.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.dispatcher.view.WebhookView;
import io.quarkus.runtime.Startup;

/**
 * A paused webhook's deliveries are stored as {@code held}; when it is resumed they become due again, in their original
 * order (the claim keeps per-record order). If PostgreSQL is briefly unreachable at that moment the release is retried.
 */
@ApplicationScoped
@Startup
public class HeldDeliveries {

    private static final Logger LOG = Logger.getLogger(HeldDeliveries.class);

    @Inject
    DeliveryStore store;

    @Inject
    void listen(WebhookView webhooks) {
        webhooks.onResumed(w -> store.releaseHeld(w.id()).onFailure().retry().withBackOff(Duration.ofSeconds(1))
                .atMost(30).subscribe()
                .with(n -> LOG.infof("Webhook %s resumed: %d held deliveries released", w.id(), n),
                        e -> LOG.errorf("Could not release the held deliveries of %s: %s", w.id(), e.toString())));
    }
}
