package io.keyhook.webhooks.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.messaging.CompactedTopicView;
import io.keyhook.common.messaging.EnvironmentCatalog;
import io.keyhook.webhooks.config.WebhooksConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** The {@link EnvironmentCatalog} of this service, following {@code keyhook.environments}. */
@ApplicationScoped
public class EnvironmentView {

    @Inject
    WebhooksConfig config;

    @Inject
    ObjectMapper json;

    private EnvironmentCatalog catalog;
    private CompactedTopicView topic;

    void start(@Observes StartupEvent event) {
        catalog = new EnvironmentCatalog(json);
        var k = config.kafka();
        topic = new CompactedTopicView(k.bootstrapServers(), k.environmentsTopic(), k.partitions(),
                k.replicationFactor(), "webhook-config-service-environments", catalog::apply).start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (topic != null) {
            topic.close();
        }
    }

    public EnvironmentCatalog.Environment environment(String id) {
        return catalog == null ? null : catalog.environment(id);
    }

    public List<String> notificationTypes(String environmentId) {
        return catalog == null ? List.of() : catalog.notificationTypes(environmentId);
    }

    public boolean caughtUp() {
        return topic != null && topic.caughtUp();
    }

    public int size() {
        return catalog == null ? 0 : catalog.size();
    }
}
