package io.keyhook.common.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/** The application's one {@link KafkaClients}, from {@code keyhook.kafka.*}. */
@ApplicationScoped
public class KafkaClientsProducer {

    private static final Logger LOG = Logger.getLogger(KafkaClientsProducer.class);

    @Produces
    @Singleton
    KafkaClients kafkaClients(KafkaSettings settings) {
        KafkaClients kafka = KafkaClients.fromConfig(ConfigProvider.getConfig(), settings.bootstrapServers());
        // how, never with what: no password, key or JAAS line is logged
        LOG.infof("Kafka clients: %s over %s%s", kafka.bootstrapServers(), kafka.securityProtocol(),
                kafka.saslMechanism() == null ? "" : " (SASL " + kafka.saslMechanism() + ")");
        return kafka;
    }
}
