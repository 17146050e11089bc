package io.keyhook.common.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * Builds every Kafka consumer, producer and admin client of the suite, so that one configuration reaches them all: the
 * bootstrap servers and whatever the cluster needs to be reached (TLS, SASL). Nothing else in main code may call
 * {@code new KafkaConsumer}, {@code new KafkaProducer} or {@code Admin.create}.
 * <p>
 * Layers, each overriding the one before: the caller's tunable defaults; keys for every client
 * ({@code keyhook.kafka.security.*}, {@code sasl.*}, {@code ssl.*}, {@code keyhook.kafka.properties.<any key>}); keys
 * for one kind ({@code keyhook.kafka.consumer|producer|admin.<key>}); keys for one named client
 * ({@code keyhook.kafka.client.<name>.<key>}); and last the settings the caller's correctness depends on (commits,
 * acknowledgements, group), which configuration cannot change. Environment variables work too:
 * {@code KEYHOOK_KAFKA_SASL_MECHANISM} is {@code keyhook.kafka.sasl.mechanism} (Kafka keys have no dashes or
 * underscores, so the spelling is unambiguous). Values are never logged here; Kafka itself masks passwords.
 */
public final class KafkaClients {

    static final String PREFIX = "keyhook.kafka.";

    /** The kind of client, for {@code keyhook.kafka.<kind>.*}. */
    public enum Kind {
        CONSUMER, PRODUCER, ADMIN;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String bootstrapServers;
    private final Map<String, String> shared;
    private final Map<Kind, Map<String, String>> byKind;
    private final Map<String, Map<String, String>> byClient;

    private KafkaClients(String bootstrapServers, Map<String, String> shared, Map<Kind, Map<String, String>> byKind,
            Map<String, Map<String, String>> byClient) {
        this.bootstrapServers = bootstrapServers;
        this.shared = Map.copyOf(shared);
        this.byKind = Map.copyOf(byKind);
        this.byClient = Map.copyOf(byClient);
    }

    /** Plain clients of a broker that needs nothing but its address (tools, tests). */
    public static KafkaClients plain(String bootstrapServers) {
        return new KafkaClients(bootstrapServers, Map.of(), Map.of(), Map.of());
    }

    /**
     * Clients configured from flat keys as they appear under {@code keyhook.kafka.} (e.g. {@code sasl.mechanism},
     * {@code consumer.max.poll.records}, {@code client.events.fetch.min.bytes}); other keys are ignored.
     */
    public static KafkaClients of(String bootstrapServers, Map<String, String> keys) {
        Map<String, String> shared = new TreeMap<>();
        Map<Kind, Map<String, String>> byKind = new HashMap<>();
        Map<String, Map<String, String>> byClient = new HashMap<>();
        keys.forEach((key, value) -> {
            String namespace = namespaceOf(key);
            if (namespace == null) {
                return;
            }
            String rest = key.substring(namespace.length());
            switch (namespace) {
            case "properties." -> shared.put(rest, value);
            case "client." -> {
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    byClient.computeIfAbsent(rest.substring(0, dot), k -> new TreeMap<>()).put(rest.substring(dot + 1),
                            value);
                }
            }
            default -> {
                Kind kind = kindOf(namespace);
                if (kind == null) {
                    shared.put(key, value); // security., sasl., ssl.: the Kafka key as it is
                } else {
                    byKind.computeIfAbsent(kind, k -> new TreeMap<>()).put(rest, value);
                }
            }
            }
        });
        return new KafkaClients(bootstrapServers, shared, byKind, byClient);
    }

    /** Clients configured from the application's configuration (properties, environment, profiles). */
    public static KafkaClients fromConfig(Config config, String bootstrapServers) {
        Map<String, String> keys = new HashMap<>();
        Map<String, Integer> ordinals = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            String key = passThroughKey(name);
            if (key == null) {
                continue;
            }
            ConfigValue value = config.getConfigValue(name);
            if (value == null || value.getValue() == null) {
                continue;
            }
            // the same key as a property and as an environment variable: the higher ordinal wins, as in Quarkus
            Integer seen = ordinals.get(key);
            if (seen == null || value.getSourceOrdinal() > seen) {
                keys.put(key, value.getValue());
                ordinals.put(key, value.getSourceOrdinal());
            }
        }
        return of(bootstrapServers, keys);
    }

    /**
     * The key below {@code keyhook.kafka.} that a configuration name stands for, or null. An environment variable
     * ({@code KEYHOOK_KAFKA_SSL_TRUSTSTORE_TYPE}) is lower-cased with its underscores read as dots.
     */
    static String passThroughKey(String name) {
        String key;
        if (name.startsWith(PREFIX)) {
            key = name.substring(PREFIX.length());
        } else if (name.startsWith("KEYHOOK_KAFKA_")) {
            key = name.substring("KEYHOOK_KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
        } else {
            return null;
        }
        return namespaceOf(key) == null ? null : key;
    }

    /** The pass-through namespace a key below {@code keyhook.kafka.} is in ("ssl.", "consumer.", ...), or null. */
    private static String namespaceOf(String key) {
        for (String namespace : List.of("properties.", "client.", "security.", "sasl.", "ssl.", "consumer.",
                "producer.", "admin.")) {
            if (key.startsWith(namespace)) {
                return namespace;
            }
        }
        return null;
    }

    private static Kind kindOf(String namespace) {
        for (Kind kind : Kind.values()) {
            if (namespace.equals(kind.key() + ".")) {
                return kind;
            }
        }
        return null;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Whether the configuration names a security protocol other than PLAINTEXT. */
    public boolean secured() {
        return !"PLAINTEXT".equalsIgnoreCase(securityProtocol());
    }

    /** The protocol every client uses (Kafka's default: PLAINTEXT). */
    public String securityProtocol() {
        return shared.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    }

    /** The SASL mechanism, or null when none is configured. */
    public String saslMechanism() {
        return shared.get("sasl.mechanism");
    }

    /**
     * The properties of one client.
     *
     * @param name
     *            the client's name in {@code keyhook.kafka.client.<name>.*}; also its {@code client.id} unless the
     *            caller fixes another
     * @param defaults
     *            tunables configuration may override
     * @param fixed
     *            settings the caller depends on; configuration cannot override them
     */
    public Properties properties(Kind kind, String name, Map<String, ?> defaults, Map<String, ?> fixed) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, name);
        p.putAll(defaults);
        p.putAll(shared);
        p.putAll(byKind.getOrDefault(kind, Map.of()));
        p.putAll(byClient.getOrDefault(name, Map.of()));
        p.putAll(fixed);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    public <K, V> KafkaConsumer<K, V> consumer(String name, Map<String, ?> defaults, Map<String, ?> fixed,
            Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(properties(Kind.CONSUMER, name, defaults, fixed), keys, values);
    }

    public <K, V> KafkaProducer<K, V> producer(String name, Map<String, ?> defaults, Map<String, ?> fixed,
            Serializer<K> keys, Serializer<V> values) {
        return new KafkaProducer<>(properties(Kind.PRODUCER, name, defaults, fixed), keys, values);
    }

    public Admin admin(String name, Map<String, ?> defaults) {
        return Admin.create(properties(Kind.ADMIN, name, defaults, Map.of()));
    }
}
