package io.keyhook.common.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/** The application's one {@link KafkaClients}, from {@code keyhook.kafka.*}. */
@ApplicationScoped
public class KafkaClientsProducer {

    private static final Logger LOG = Logger.getLogger(KafkaClientsProducer.class);

    @Produces
    @Singleton
    KafkaClients kafkaClients(KafkaSettings settings, Config config) {
        // the TLS and SASL keys are Kafka's own, passed through by name (keyhook.kafka.ssl.*, KEYHOOK_KAFKA_SASL_*):
        // no mapping can list them, so they are read from the whole configuration
        KafkaClients kafka = KafkaClients.fromConfig(config, settings.bootstrapServers());
        // how, never with what: no password, key or JAAS line is logged
        LOG.infof("Kafka clients: %s over %s%s", kafka.bootstrapServers(), kafka.securityProtocol(),
                kafka.saslMechanism() == null ? "" : " (SASL " + kafka.saslMechanism() + ")");
        return kafka;
    }
}
