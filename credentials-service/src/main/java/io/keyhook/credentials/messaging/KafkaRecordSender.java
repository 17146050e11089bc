package io.keyhook.credentials.messaging;

import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.messaging.OrderedSender;
import io.keyhook.credentials.config.KafkaConfig;

/** The outbox's producer: the shared {@link OrderedSender} on this service's two compacted topics. */
@ApplicationScoped
public class KafkaRecordSender {

    @Inject
    KafkaConfig config;

    private OrderedSender sender;

    /** Sends the records in order and returns how many of the leading ones the broker acknowledged. */
    public synchronized int sendInOrder(List<OrderedSender.Outgoing> records) {
        if (sender == null) {
            sender = new OrderedSender(config.bootstrapServers(), config.sendTimeout(), "credentials-service-outbox",
                    List.of(OrderedSender.compacted(config.credentialsTopic(), config.partitions(),
                            config.replicationFactor()),
                            OrderedSender.compacted(config.environmentsTopic(), config.partitions(),
                                    config.replicationFactor())));
        }
        return sender.sendInOrder(records);
    }

    @PreDestroy
    synchronized void close() {
        if (sender != null) {
            sender.close();
        }
    }
}
