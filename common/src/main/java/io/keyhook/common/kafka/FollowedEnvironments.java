package io.keyhook.common.kafka;

import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ApplicationConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * A service's view of every Environment and the notification types its Configuration offers, following
 * {@code keyhook.kafka.environments-topic} from start to stop. A service that needs it declares an
 * {@code @ApplicationScoped} subclass; the observers and injections here are inherited.
 */
public abstract class FollowedEnvironments {

    @Inject
    KafkaClients kafka;

    @Inject
    KafkaSettings settings;

    @Inject
    ObjectMapper json;

    @Inject
    ApplicationConfig application;

    private volatile EnvironmentCatalog.Followed followed;

    void start(@Observes StartupEvent event) {
        String app = application.name().orElse("keyhook");
        followed = EnvironmentCatalog.follow(json, kafka, settings, app + "-environments");
    }

    void stop(@Observes ShutdownEvent event) {
        if (followed != null) {
            followed.close();
        }
    }

    /** The Environment, or null when unknown. */
    public EnvironmentCatalog.Environment environment(String id) {
        var f = followed;
        return f == null ? null : f.catalog().environment(id);
    }

    /** Takes what credentials-service answered for an Environment this view has not brought yet. */
    public void learn(EnvironmentCatalog.Environment e) {
        var f = followed;
        if (f != null) {
            f.catalog().learn(e);
        }
    }

    /** Every notification type the Environment's Configuration offers; empty when unknown. */
    public List<String> notificationTypes(String environmentId) {
        var f = followed;
        return f == null ? List.of() : f.catalog().notificationTypes(environmentId);
    }

    /** True when the Environment is known and its Configuration does not offer the type. */
    public boolean unknownType(String environment, String type) {
        return environment(environment) != null && !notificationTypes(environment).contains(type);
    }

    /** True once the view holds everything that was on the topic at start (readiness). */
    public boolean caughtUp() {
        var f = followed;
        return f != null && f.caughtUp();
    }

    public int size() {
        var f = followed;
        return f == null ? 0 : f.catalog().size();
    }
}
