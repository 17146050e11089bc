package io.keyhook.webhooks.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.messaging.CompactedTopicView;
import io.keyhook.webhooks.config.WebhooksConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Every Environment and the data types its Configuration offers, from the compacted {@code keyhook.environments} topic.
 * Keyhook reads Configurations; it never changes them. Not ready until caught up.
 */
@ApplicationScoped
public class EnvironmentView {

    static final List<String> ACTIONS = List.of("created", "updated", "deleted");

    @Inject
    WebhooksConfig config;

    @Inject
    ObjectMapper json;

    private final ConcurrentHashMap<String, EnvironmentRecord> environments = new ConcurrentHashMap<>();
    private CompactedTopicView topic;

    void start(@Observes StartupEvent event) {
        var k = config.kafka();
        topic = new CompactedTopicView(k.bootstrapServers(), k.environmentsTopic(), k.partitions(),
                k.replicationFactor(), "webhook-config-service-environments", this::apply).start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (topic != null) {
            topic.close();
        }
    }

    /** The Environment, or null when this view does not know it. */
    public EnvironmentRecord environment(String id) {
        return environments.get(id);
    }

    /** Every {@code <dataType>.<action>} the Environment's Configuration offers, in a stable order. */
    public List<String> notificationTypes(String environmentId) {
        EnvironmentRecord e = environments.get(environmentId);
        List<String> out = new ArrayList<>();
        if (e == null || e.configuration() == null || e.configuration().dataTypes() == null) {
            return out;
        }
        for (String dataType : e.configuration().dataTypes()) {
            for (String action : ACTIONS) {
                out.add(dataType + "." + action);
            }
        }
        return out;
    }

    /** True once the view holds everything that was on the topic when the service started. */
    public boolean caughtUp() {
        return topic != null && topic.caughtUp();
    }

    public int size() {
        return environments.size();
    }

    private void apply(ConsumerRecord<String, String> r) {
        if (r.value() == null) {
            environments.remove(r.key());
            return;
        }
        EnvironmentRecord e;
        try {
            e = json.readValue(r.value(), EnvironmentRecord.class);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("not an Environment record", ex);
        }
        if (e.id() == null || !e.id().equals(r.key())) {
            throw new IllegalArgumentException("id does not match the record key");
        }
        environments.merge(e.id(), e, (old,
                neu) -> old.updatedAt() != null && neu.updatedAt() != null && neu.updatedAt().isBefore(old.updatedAt())
                        ? old : neu);
    }
}
