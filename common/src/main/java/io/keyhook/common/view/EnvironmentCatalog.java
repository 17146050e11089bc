package io.keyhook.common.view;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.EnvironmentStateRecord;
import io.keyhook.common.contract.Topics;
import io.keyhook.common.kafka.CompactedTopicView;
import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.common.kafka.SuiteTopics;
import io.keyhook.core.id.NotificationTypes;

/**
 * Every Environment and the data types its Configuration offers, as {@code keyhook.environments} carries them. Keyhook
 * reads Configurations; it never changes them. Fed by a {@link CompactedTopicView} ({@link #follow}).
 */
public final class EnvironmentCatalog {

    /** A catalog kept current from the topic; closing it stops following. */
    public record Followed(EnvironmentCatalog catalog, CompactedTopicView<String, EnvironmentStateRecord> topic)
            implements AutoCloseable {

        public boolean caughtUp() {
            return topic.caughtUp();
        }

        @Override
        public void close() {
            topic.close();
        }
    }

    /** Starts following the Environments topic (compacted; created if missing and allowed) into a new catalog. */
    public static Followed follow(ObjectMapper json, KafkaClients kafka, KafkaSettings settings, String clientId) {
        EnvironmentCatalog catalog = new EnvironmentCatalog();
        return new Followed(catalog,
                new CompactedTopicView<>(kafka, settings, SuiteTopics.environments(settings), clientId,
                        Topics.ENVIRONMENTS, json,
                        CompactedTopicView.Listener.of((id, e) -> catalog.learn(e), catalog::remove)).start());
    }

    private final ConcurrentHashMap<String, EnvironmentStateRecord> environments = new ConcurrentHashMap<>();

    /** The Environment, or null when unknown. */
    public EnvironmentStateRecord environment(String id) {
        return environments.get(id);
    }

    public int size() {
        return environments.size();
    }

    /** The ids of every Environment known now (a copy). */
    public List<String> ids() {
        return List.copyOf(environments.keySet());
    }

    /** Every {@code <dataType>.<action>} the Environment's Configuration offers, in a stable order. */
    public List<String> notificationTypes(String environmentId) {
        EnvironmentStateRecord e = environments.get(environmentId);
        List<String> out = new ArrayList<>();
        if (e == null || e.configuration() == null || e.configuration().dataTypes() == null) {
            return out;
        }
        for (String dataType : e.configuration().dataTypes()) {
            for (String action : NotificationTypes.ACTIONS) {
                out.add(NotificationTypes.of(dataType, action));
            }
        }
        return out;
    }

    /**
     * Adds a state of an Environment: from the topic, or what the owner answered for one the topic has not brought yet
     * (read-your-writes). A newer state already held, or arriving later on the topic, wins.
     */
    public void learn(EnvironmentStateRecord e) {
        environments.merge(e.id(), e, (old, neu) -> isOlder(neu, old) ? old : neu);
    }

    /** The Environment was deleted (a tombstone). */
    public void remove(String id) {
        environments.remove(id);
    }

    /**
     * Whether {@code neu} is an older state than {@code old} (a stale record read late). A newer Configuration version
     * always wins; otherwise the later change, compared at PostgreSQL's microsecond precision.
     */
    static boolean isOlder(EnvironmentStateRecord neu, EnvironmentStateRecord old) {
        if (neu.configuration() != null && old.configuration() != null
                && Objects.equals(neu.configuration().name(), old.configuration().name())
                && neu.configuration().version() != old.configuration().version()) {
            return neu.configuration().version() < old.configuration().version();
        }
        if (old.updatedAt() == null || neu.updatedAt() == null) {
            return false;
        }
        var micros = ChronoUnit.MICROS;
        return neu.updatedAt().truncatedTo(micros).isBefore(old.updatedAt().truncatedTo(micros));
    }
}
