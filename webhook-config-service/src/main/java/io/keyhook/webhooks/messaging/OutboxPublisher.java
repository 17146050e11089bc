package io.keyhook.webhooks.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.NewTopic;

import io.keyhook.common.kafka.ServiceOutbox;
import io.keyhook.common.kafka.SuiteTopics;

/**
 * Publishes {@code webhooks.outbox} through the shared relay: to the compacted {@code keyhook.webhooks} topic, and the
 * {@code keyhook.webhook.disabled} events to {@code keyhook.operational-events} (issue 31).
 */
@ApplicationScoped
public class OutboxPublisher extends ServiceOutbox {

    @Override
    protected String schema() {
        return "webhooks";
    }

    @Override
    protected List<NewTopic> topics() {
        return List.of(SuiteTopics.webhooks(settings), SuiteTopics.operationalEvents(settings));
    }

    @Override
    protected String clientId() {
        return "webhook-config-service-outbox";
    }

    @Override
    protected long lockId() {
        return 0x6b68_7768_6f75_7462L; // arbitrary but fixed: "keyhook-webhooks-outbox"
    }
}
