package io.keyhook.token.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.kafka.CompactedTopicView;
import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.view.ClientRecord;
import io.keyhook.token.view.CredentialView;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Builds the {@link CredentialView} from the compacted {@code keyhook.credentials} topic (every replica reads all of
 * it). The service is ready once the view has caught up. A record that cannot be read is counted and skipped.
 */
@ApplicationScoped
public class CredentialsTopicReader {

    @Inject
    TokenConfig config;

    @Inject
    CredentialView view;

    @Inject
    ObjectMapper json;

    @Inject
    KafkaClients kafka;

    @Inject
    KafkaSettings kafkaSettings;

    @Inject
    MeterRegistry registry;

    private CompactedTopicView topic;

    void start(@Observes StartupEvent event) {
        view.relevance(config.accessTokenLifetime().plus(config.adminTokenLifetime()).plus(config.clockSkew()));
        topic = new CompactedTopicView(kafka, kafkaSettings, kafkaSettings.credentialsTopic(),
                "token-service-credentials-view", this::apply).start();
        registry.gauge("keyhook.token.view.clients", view, CredentialView::size);
        registry.more().counter("keyhook.token.view.malformed.records", List.of(), topic, CompactedTopicView::skipped);
    }

    void stop(@Observes ShutdownEvent event) {
        if (topic != null) {
            topic.close();
        }
    }

    /** True once the view holds everything that was on the topic when the service started. */
    public boolean caughtUp() {
        return topic != null && topic.caughtUp();
    }

    public long applied() {
        return topic == null ? 0 : topic.applied();
    }

    private void apply(ConsumerRecord<String, String> r) {
        if (r.value() == null) {
            view.remove(r.key());
            return;
        }
        ClientRecord record;
        try {
            record = json.readValue(r.value(), ClientRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a client record", e);
        }
        if (record.clientId() == null || !record.clientId().equals(r.key())) {
            throw new IllegalArgumentException("clientId does not match the record key");
        }
        view.apply(record);
    }
}
