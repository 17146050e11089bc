package io.keyhook.dispatcher.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * A receiver answered {@code 410 Gone}: webhook-config-service is asked to pause the webhook (events are held, not
 * lost) and its audit trail records why, so an admin sees it. Best effort, retried by {@link WebhooksInternalApi}: if
 * it cannot be told now, the next 410 tells it again.
 */
@ApplicationScoped
public class GoneReporter {

    private static final Logger LOG = Logger.getLogger(GoneReporter.class);

    @Inject
    @RestClient
    WebhooksInternalApi webhooks;

    public void report(String webhookId, String url) {
        String reason = "the receiver answered 410 Gone at " + url;
        webhooks.disable(webhookId, new WebhooksInternalApi.Reason(reason)).subscribe().with(
                ok -> LOG.warnf("Webhook %s paused: %s", webhookId, reason),
                e -> LOG.errorf("Could not pause webhook %s after a 410: %s", webhookId, e.toString()));
    }
}
