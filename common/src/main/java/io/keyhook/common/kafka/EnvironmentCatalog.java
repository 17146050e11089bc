package io.keyhook.common.kafka;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every Environment and the data types its Configuration offers, as {@code keyhook.environments} carries them. Keyhook
 * reads Configurations; it never changes them. Feed it with a {@link CompactedTopicView}.
 */
public final class EnvironmentCatalog {

    static final List<String> ACTIONS = List.of("created", "updated", "deleted");

    /** A {@code keyhook.environments} record. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Environment(int schemaVersion, String id, String name, Configuration configuration,
            Instant updatedAt) {
    }

    /** The published Configuration: its name, version and data types. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Configuration(String name, long version, List<String> dataTypes) {
    }

    /** A catalog kept current from the topic; closing it stops following. */
    public record Followed(EnvironmentCatalog catalog, CompactedTopicView topic) implements AutoCloseable {

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
        EnvironmentCatalog catalog = new EnvironmentCatalog(json);
        return new Followed(catalog, new CompactedTopicView(kafka, SuiteTopics.environments(settings),
                settings.createTopics(), clientId, catalog::apply).start());
    }

    private final ObjectMapper json;
    private final ConcurrentHashMap<String, Environment> environments = new ConcurrentHashMap<>();

    public EnvironmentCatalog(ObjectMapper json) {
        this.json = json;
    }

    /** The Environment, or null when unknown. */
    public Environment environment(String id) {
        return environments.get(id);
    }

    public int size() {
        return environments.size();
    }

    /** Every {@code <dataType>.<action>} the Environment's Configuration offers, in a stable order. */
    public List<String> notificationTypes(String environmentId) {
        Environment e = environments.get(environmentId);
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

    /**
     * Adds what the owner answered for an Environment the topic has not brought yet (read-your-writes); a newer state
     * already held, or arriving later on the topic, wins as usual.
     */
    public void learn(Environment e) {
        environments.merge(e.id(), e, (old, neu) -> isOlder(neu, old) ? old : neu);
    }

    /** Applies one topic record (a tombstone removes); throws on an unreadable one. */
    public void apply(ConsumerRecord<String, String> r) {
        if (r.value() == null) {
            environments.remove(r.key());
            return;
        }
        Environment e;
        try {
            e = json.readValue(r.value(), Environment.class);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("not an Environment record", ex);
        }
        if (e.id() == null || !e.id().equals(r.key())) {
            throw new IllegalArgumentException("id does not match the record key");
        }
        environments.merge(e.id(), e, (old, neu) -> isOlder(neu, old) ? old : neu);
    }

    /**
     * Whether {@code neu} is an older state than {@code old} (a stale record read late). A newer Configuration version
     * always wins; otherwise the later change, compared at PostgreSQL's microsecond precision.
     */
    static boolean isOlder(Environment neu, Environment old) {
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
