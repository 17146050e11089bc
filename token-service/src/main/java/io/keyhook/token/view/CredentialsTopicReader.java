package io.keyhook.token.view;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.ClientStateRecord;
import io.keyhook.common.contract.Topics;
import io.keyhook.common.kafka.CompactedTopicView;
import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.common.kafka.SuiteTopics;
import io.keyhook.token.config.TokenConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Builds the {@link CredentialView} from the compacted {@code keyhook.credentials} topic (every replica reads all of
 * it). The service is ready once the view has caught up. A record that cannot be read is counted and skipped.
 */
@ApplicationScoped
public class CredentialsTopicReader {

    private final TokenConfig config;
    private final CredentialView view;
    private final ObjectMapper json;
    private final KafkaClients kafka;
    private final KafkaSettings kafkaSettings;
    private final MeterRegistry registry;
    private volatile CompactedTopicView<String, ClientStateRecord> topic;

    @Inject
    public CredentialsTopicReader(TokenConfig config, CredentialView view, ObjectMapper json, KafkaClients kafka,
            KafkaSettings kafkaSettings, MeterRegistry registry) {
        this.config = config;
        this.view = view;
        this.json = json;
        this.kafka = kafka;
        this.kafkaSettings = kafkaSettings;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        view.relevance(config.accessTokenLifetime().plus(config.adminTokenLifetime()).plus(config.clockSkew()));
        var t = new CompactedTopicView<>(kafka, kafkaSettings, SuiteTopics.credentials(kafkaSettings),
                "token-service-credentials-view", Topics.CREDENTIALS, json,
                CompactedTopicView.Listener.of((clientId, record) -> view.apply(record), view::remove));
        topic = t.start();
        registry.gauge("keyhook.token.view.clients", view, CredentialView::size);
        registry.more().counter("keyhook.token.view.malformed.records", List.of(), t, CompactedTopicView::skipped);
    }

    void stop(@Observes ShutdownEvent event) {
        if (topic != null) {
            topic.close();
        }
    }

    /** True once the view holds everything that was on the topic when the service started. */
    public boolean caughtUp() {
        var t = topic;
        return t != null && t.caughtUp();
    }

    public long applied() {
        var t = topic;
        return t == null ? 0 : t.applied();
    }
}
