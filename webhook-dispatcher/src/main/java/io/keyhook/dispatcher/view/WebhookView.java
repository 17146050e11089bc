package io.keyhook.dispatcher.view;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.messaging.CompactedTopicView;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Every webhook, from the compacted {@code keyhook.webhooks} topic: the dispatcher routes events without asking
 * webhook-config-service, so it keeps delivering while that service is down. Newer versions win; a tombstone removes.
 */
@ApplicationScoped
public class WebhookView {

    @Inject
    DispatcherConfig config;

    @Inject
    ObjectMapper json;

    private final ConcurrentHashMap<String, WebhookState> webhooks = new ConcurrentHashMap<>();
    private CompactedTopicView topic;
    private final java.util.List<java.util.function.Consumer<WebhookState>> resumed = new java.util.concurrent.CopyOnWriteArrayList<>();

    void start(@Observes StartupEvent event) {
        var k = config.kafka();
        topic = new CompactedTopicView(k.bootstrapServers(), k.webhooksTopic(), k.partitions(), k.replicationFactor(),
                "webhook-dispatcher-webhooks", this::apply).start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (topic != null) {
            topic.close();
        }
    }

    public WebhookState webhook(String id) {
        return webhooks.get(id);
    }

    /** The Environment's webhooks (usually one). */
    public List<WebhookState> ofEnvironment(String environment) {
        return webhooks.values().stream().filter(w -> environment.equals(w.environment())).toList();
    }

    public boolean caughtUp() {
        return topic != null && topic.caughtUp();
    }

    public int size() {
        return webhooks.size();
    }

    private void apply(ConsumerRecord<String, String> r) {
        if (r.value() == null) {
            webhooks.remove(r.key());
            return;
        }
        WebhookState w;
        try {
            w = json.readValue(r.value(), WebhookState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a webhook record", e);
        }
        if (w.id() == null || !w.id().equals(r.key())) {
            throw new IllegalArgumentException("id does not match the record key");
        }
        WebhookState before = webhooks.get(w.id());
        WebhookState now = webhooks.merge(w.id(), w, (old, neu) -> neu.version() >= old.version() ? neu : old);
        if (before != null && before.paused() && !now.paused()) {
            resumed.forEach(l -> l.accept(now));
        }
    }

    /** Called (on the view's thread) when a paused webhook is resumed. */
    public void onResumed(java.util.function.Consumer<WebhookState> listener) {
        resumed.add(listener);
    }
}
