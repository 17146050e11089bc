package io.keyhook.credentials.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.NewTopic;

import io.keyhook.common.kafka.ServiceOutbox;
import io.keyhook.common.kafka.SuiteTopics;

/**
 * Publishes {@code credentials.outbox} to the compacted {@code keyhook.credentials} and {@code keyhook.environments}
 * topics, and {@code keyhook.operational-events} ({@code keyhook.credential.expiring}, issue 31), through the shared
 * relay: id order, one publisher at a time, only acknowledged rows deleted.
 */
@ApplicationScoped
public class OutboxPublisher extends ServiceOutbox {

    @Override
    protected String schema() {
        return "credentials";
    }

    @Override
    protected List<NewTopic> topics() {
        return List.of(SuiteTopics.credentials(settings), SuiteTopics.environments(settings),
                SuiteTopics.operationalEvents(settings));
    }

    @Override
    protected String clientId() {
        return "credentials-service-outbox";
    }

    @Override
    protected long lockId() {
        return 0x6b68_6f75_7462_6f78L; // arbitrary but fixed: "keyhook-credentials-outbox"
    }
}
