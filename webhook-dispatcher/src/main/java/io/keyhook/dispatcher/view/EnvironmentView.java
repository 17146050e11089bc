package io.keyhook.dispatcher.view;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.messaging.CompactedTopicView;
import io.keyhook.common.messaging.EnvironmentCatalog;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Which notification types each Environment's Configuration offers, following {@code keyhook.environments}. */
@ApplicationScoped
public class EnvironmentView {

    @Inject
    DispatcherConfig config;

    @Inject
    ObjectMapper json;

    private EnvironmentCatalog catalog;
    private CompactedTopicView topic;

    void start(@Observes StartupEvent event) {
        catalog = new EnvironmentCatalog(json);
        var k = config.kafka();
        topic = new CompactedTopicView(k.bootstrapServers(), k.environmentsTopic(), k.partitions(),
                k.replicationFactor(), "webhook-dispatcher-environments", catalog::apply).start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (topic != null) {
            topic.close();
        }
    }

    /** True when the Environment is known and its Configuration does not offer the type. */
    public boolean unknownType(String environment, String type) {
        return catalog.environment(environment) != null && !catalog.notificationTypes(environment).contains(type);
    }

    public boolean caughtUp() {
        return topic != null && topic.caughtUp();
    }
}
