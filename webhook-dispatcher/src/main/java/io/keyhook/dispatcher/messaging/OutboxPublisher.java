package io.keyhook.dispatcher.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.NewTopic;

import io.keyhook.common.kafka.ServiceOutbox;
import io.keyhook.common.kafka.SuiteTopics;

/** Publishes {@code dispatcher.outbox} (operational events, issue 31) through the shared relay. */
@ApplicationScoped
public class OutboxPublisher extends ServiceOutbox {

    @Override
    protected String schema() {
        return "dispatcher";
    }

    @Override
    protected List<NewTopic> topics() {
        return List.of(SuiteTopics.operationalEvents(settings));
    }

    @Override
    protected String clientId() {
        return "webhook-dispatcher-outbox";
    }

    @Override
    protected long lockId() {
        return 0x6b68_6469_7370_6f62L; // arbitrary but fixed: "keyhook-dispatcher-outbox"
    }
}
