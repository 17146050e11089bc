package io.keyhook.webhooks.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

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

    private EnvironmentCatalog.Followed followed;

    void start(@Observes StartupEvent event) {
        var k = config.kafka();
        followed = EnvironmentCatalog.follow(json, k.bootstrapServers(), k.environmentsTopic(), k.partitions(),
                k.replicationFactor(), "webhook-config-service-environments");
    }

    void stop(@Observes ShutdownEvent event) {
        if (followed != null) {
            followed.close();
        }
    }

    public EnvironmentCatalog.Environment environment(String id) {
        return followed == null ? null : followed.catalog().environment(id);
    }

    /** Takes what credentials-service answered for an Environment this view has not brought yet. */
    public void learn(EnvironmentCatalog.Environment e) {
        if (followed != null) {
            followed.catalog().learn(e);
        }
    }

    public List<String> notificationTypes(String environmentId) {
        return followed == null ? List.of() : followed.catalog().notificationTypes(environmentId);
    }

    public boolean caughtUp() {
        return followed != null && followed.caughtUp();
    }

    public int size() {
        return followed == null ? 0 : followed.catalog().size();
    }
}
