package io.keyhook.dispatcher.view;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.keyhook.dispatcher.messaging.EventConsumer;

/**
 * Not ready until every view holds everything that was on their topics at start, nor while the event consumer is
 * stalled (records wait and nothing moved for {@code keyhook.dispatcher.kafka.stall-timeout}).
 */
@Readiness
@ApplicationScoped
public class DispatcherReadiness implements HealthCheck {

    @Inject
    EventConsumer consumer;

    @Inject
    WebhookView webhooks;

    @Inject
    SigningSecrets secrets;

    @Inject
    EnvironmentView environments;

    @Override
    public HealthCheckResponse call() {
        boolean stalled = consumer.stalled();
        return HealthCheckResponse.named("views")
                .status(webhooks.caughtUp() && secrets.caughtUp() && environments.caughtUp() && !stalled)
                .withData("consumerStalled", stalled)
                .withData("consumerSecondsSinceProgress", consumer.secondsSinceProgress())
                .withData("partitionsAssigned", consumer.partitionsAssigned()).withData("webhooks", webhooks.size())
                .withData("webhooksCaughtUp", webhooks.caughtUp()).withData("secretsCaughtUp", secrets.caughtUp())
                .withData("environmentsCaughtUp", environments.caughtUp()).build();
    }
}
