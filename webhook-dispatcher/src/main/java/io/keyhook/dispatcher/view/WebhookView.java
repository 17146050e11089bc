package io.keyhook.dispatcher.view;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.Topics;
import io.keyhook.common.contract.WebhookState;
import io.keyhook.common.kafka.CompactedTopicView;
import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.common.kafka.SuiteTopics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Every webhook, from the compacted {@code keyhook.webhooks} topic: the dispatcher routes events without asking
 * webhook-config-service, so it keeps delivering while that service is down. Newer versions win; a tombstone removes.
 */
@ApplicationScoped
public class WebhookView {

    private final ConcurrentHashMap<String, WebhookState> webhooks = new ConcurrentHashMap<>();
    /**
     * Environment → its webhooks by id, kept with {@link #webhooks} by the view's one thread: every event asks for its
     * Environment's webhooks, and a scan of all of them cost the dispatcher twice the CPU per delivery at 10,000
     * webhooks (bench/scale/run).
     */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, WebhookState>> byEnvironment = new ConcurrentHashMap<>();
    /**
     * Webhooks with a {@code maxInFlight} or {@code rateLimitPerSecond} of their own (issue 31), for the engine's
     * claim.
     */
    private final Set<String> limited = ConcurrentHashMap.newKeySet();
    private final List<Consumer<WebhookState>> resumed = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<WebhookState, WebhookState>> changed = new CopyOnWriteArrayList<>();
    private volatile CompactedTopicView<String, WebhookState> topic;

    /** What it follows the topic with is given at start: the view itself holds no collaborator. */
    void start(@Observes StartupEvent event, KafkaClients kafka, KafkaSettings kafkaSettings, ObjectMapper json) {
        topic = new CompactedTopicView<>(kafka, kafkaSettings, SuiteTopics.webhooks(kafkaSettings),
                "webhook-dispatcher-webhooks", Topics.WEBHOOKS, json,
                CompactedTopicView.Listener.of(this::put, this::remove)).start();
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
        Map<String, WebhookState> of = byEnvironment.get(environment);
        return of == null ? List.of() : List.copyOf(of.values());
    }

    /** The webhooks with a {@code maxInFlight} or {@code rateLimitPerSecond} of their own. */
    public Set<String> limited() {
        return limited;
    }

    public boolean caughtUp() {
        return topic != null && topic.caughtUp();
    }

    public int size() {
        return webhooks.size();
    }

    /** The webhook was deleted (a tombstone). */
    void remove(String id) {
        WebhookState gone = webhooks.remove(id);
        limited.remove(id);
        unindex(gone);
        if (gone != null) {
            changed.forEach(l -> l.accept(gone, null));
        }
    }

    /** A state of the webhook: a newer version (or the same, republished) replaces the one held. */
    void put(String id, WebhookState w) {
        WebhookState before = webhooks.get(id);
        WebhookState now = webhooks.merge(id, w, (old, neu) -> neu.version() >= old.version() ? neu : old);
        if (before != null && !Objects.equals(before.environment(), now.environment())) {
            unindex(before);
        }
        WebhookState.Tuning t = now.tuning();
        if (t != null && (t.maxInFlight() != null || t.rateLimitPerSecond() != null)) {
            limited.add(id);
        } else {
            limited.remove(id);
        }
        if (now.environment() != null) {
            byEnvironment.computeIfAbsent(now.environment(), e -> new ConcurrentHashMap<>()).put(now.id(), now);
        }
        if (before != null && before != now) {
            changed.forEach(l -> l.accept(before, now));
        }
        if (before != null && before.paused() && !now.paused()) {
            resumed.forEach(l -> l.accept(now));
        }
    }

    private void unindex(WebhookState gone) {
        if (gone == null || gone.environment() == null) {
            return;
        }
        byEnvironment.computeIfPresent(gone.environment(), (env, of) -> {
            of.remove(gone.id());
            return of.isEmpty() ? null : of;
        });
    }

    /**
     * Called (on the view's thread) with the webhook before and after each change of a known webhook; after is null
     * when it was deleted.
     */
    public void onChanged(BiConsumer<WebhookState, WebhookState> listener) {
        changed.add(listener);
    }

    /** Called (on the view's thread) when a paused webhook is resumed. */
    public void onResumed(Consumer<WebhookState> listener) {
        resumed.add(listener);
    }
}
