package io.keyhook.common.view;

import java.util.List;

import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.EnvironmentStateRecord;
import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;
import io.quarkus.runtime.ApplicationConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * A service's view of every Environment and the notification types its Configuration offers, following
 * {@code keyhook.kafka.environments-topic} from start to stop. A service that needs it declares an
 * {@code @ApplicationScoped} subclass; the observers here are inherited.
 */
public abstract class FollowedEnvironments {

    private volatile EnvironmentCatalog.Followed followed;

    /** What it follows the topic with is given at start: the view itself holds no collaborator. */
    void start(@Observes StartupEvent event, KafkaClients kafka, KafkaSettings settings, ObjectMapper json,
            ApplicationConfig application) {
        String app = application.name().orElse("keyhook");
        followed = EnvironmentCatalog.follow(json, kafka, settings, app + "-environments");
    }

    void stop(@Observes ShutdownEvent event) {
        if (followed != null) {
            followed.close();
        }
    }

    /** The Environment, or null when unknown. */
    public EnvironmentStateRecord environment(String id) {
        var f = followed;
        return f == null ? null : f.catalog().environment(id);
    }

    /** Takes what credentials-service answered for an Environment this view has not brought yet. */
    public void learn(EnvironmentStateRecord e) {
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

    /** Every Environment known now (background jobs that apply an Environment's settings walk these). */
    public List<EnvironmentStateRecord> all() {
        var f = followed;
        if (f == null) {
            return List.of();
        }
        return f.catalog().ids().stream().map(f.catalog()::environment).filter(java.util.Objects::nonNull).toList();
    }

    public int size() {
        var f = followed;
        return f == null ? 0 : f.catalog().size();
    }
}
