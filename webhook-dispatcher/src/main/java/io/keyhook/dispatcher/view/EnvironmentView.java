package io.keyhook.dispatcher.view;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

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

    private EnvironmentCatalog.Followed followed;

    void start(@Observes StartupEvent event) {
        var k = config.kafka();
        followed = EnvironmentCatalog.follow(json, k.bootstrapServers(), k.environmentsTopic(), k.partitions(),
                k.replicationFactor(), "webhook-dispatcher-environments");
    }

    void stop(@Observes ShutdownEvent event) {
        if (followed != null) {
            followed.close();
        }
    }

    /** True when the Environment is known and its Configuration does not offer the type. */
    public boolean unknownType(String environment, String type) {
        EnvironmentCatalog c = followed.catalog();
        return c.environment(environment) != null && !c.notificationTypes(environment).contains(type);
    }

    public boolean caughtUp() {
        return followed != null && followed.caughtUp();
    }
}
