package io.keyhook.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.keyhook.common.kafka.KafkaClients.Kind;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;

/** How {@code keyhook.kafka.*} reaches each client: the layers, what cannot be overridden, environment variables. */
class KafkaClientsTest {

    static final Map<String, String> SECURED = Map.of("security.protocol", "SASL_SSL", "sasl.mechanism",
            "SCRAM-SHA-512", "ssl.truststore.location", "/etc/kafka/ca.crt", "properties.client.dns.lookup",
            "use_all_dns_ips", "consumer.max.poll.records", "10", "producer.linger.ms", "7",
            "client.events.fetch.min.bytes", "1", "client.events.group.id", "someone-elses-group", "unrelated.key",
            "x");

    @Test
    void securityKeysReachEveryKindOfClient() {
        KafkaClients kafka = KafkaClients.of("broker:9093", SECURED);
        for (Kind kind : Kind.values()) {
            Properties p = kafka.properties(kind, "any", Map.of(), Map.of());
            assertEquals("SASL_SSL", p.get("security.protocol"), kind.name());
            assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"), kind.name());
            assertEquals("/etc/kafka/ca.crt", p.get("ssl.truststore.location"), kind.name());
            assertEquals("use_all_dns_ips", p.get("client.dns.lookup"), kind.name());
            assertEquals("broker:9093", p.get("bootstrap.servers"), kind.name());
            assertNull(p.get("unrelated.key"), "keys outside the pass-through namespaces are not Kafka settings");
        }
        assertTrue(kafka.secured());
        assertFalse(KafkaClients.plain("broker:9092").secured());
    }

    @Test
    void kindAndClientLayersOverrideTheCallersDefaultsButNotWhatItFixes() {
        KafkaClients kafka = KafkaClients.of("b:1", SECURED);
        Properties events = kafka.properties(Kind.CONSUMER, "events",
                Map.of("max.poll.records", 1000, "fetch.min.bytes", 65536),
                Map.of("group.id", "keyhook-dispatcher", "enable.auto.commit", false));
        assertEquals("10", events.get("max.poll.records"), "keyhook.kafka.consumer.* beats the code's default");
        assertEquals("1", events.get("fetch.min.bytes"), "keyhook.kafka.client.events.* beats the kind");
        assertEquals("keyhook-dispatcher", events.get("group.id"), "what the caller fixes cannot be configured away");
        assertEquals(false, events.get("enable.auto.commit"));
        assertEquals("events", events.get("client.id"), "the client's name is its client.id by default");

        Properties view = kafka.properties(Kind.CONSUMER, "view", Map.of("max.poll.records", 2000), Map.of());
        assertNull(view.get("fetch.min.bytes"), "another client's keys stay with it");
        Properties producer = kafka.properties(Kind.PRODUCER, "outbox", Map.of(), Map.of());
        assertEquals("7", producer.get("linger.ms"));
        assertNull(producer.get("max.poll.records"), "consumer keys stay with consumers");
    }

    @Test
    void environmentVariablesAndPropertiesNameTheSameKeys() {
        assertEquals("sasl.jaas.config", KafkaClients.passThroughKey("KEYHOOK_KAFKA_SASL_JAAS_CONFIG"));
        assertEquals("sasl.jaas.config", KafkaClients.passThroughKey("keyhook.kafka.sasl.jaas.config"));
        assertEquals("ssl.truststore.type", KafkaClients.passThroughKey("KEYHOOK_KAFKA_SSL_TRUSTSTORE_TYPE"));
        assertEquals("client.events.max.poll.records",
                KafkaClients.passThroughKey("KEYHOOK_KAFKA_CLIENT_EVENTS_MAX_POLL_RECORDS"));
        // the suite's own keys are not Kafka settings
        assertNull(KafkaClients.passThroughKey("KEYHOOK_KAFKA_BOOTSTRAP"));
        assertNull(KafkaClients.passThroughKey("keyhook.kafka.bootstrap-servers"));
        assertNull(KafkaClients.passThroughKey("keyhook.kafka.send-timeout"));
        assertNull(KafkaClients.passThroughKey("KEYHOOK_KAFKA_SECURE"));
        assertNull(KafkaClients.passThroughKey("KEYHOOK_KAFKA_PORT"));
        assertNull(KafkaClients.passThroughKey("quarkus.kafka.security.protocol"));
    }

    @Test
    void aJaasLineReferencesItsPasswordAndEnvironmentVariablesWin() {
        // as the prod overlay does: the ConfigMap's JAAS line names the password, Vault (here a map) holds it
        Config config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(Map.of("KEYHOOK_KAFKA_SASL_JAAS_CONFIG",
                        "ScramLoginModule required username=\"${quarkus.application.name}\" password=\"${keyhook.kafka.password}\";",
                        "KEYHOOK_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"), "env", 300))
                .withSources(new PropertiesConfigSource(
                        Map.of("keyhook.kafka.password", "s3cret", "quarkus.application.name", "webhook-dispatcher",
                                "keyhook.kafka.security.protocol", "SSL", "keyhook.kafka.ssl.truststore.type", "PEM"),
                        "vault-and-properties", 250))
                .build();
        Properties p = KafkaClients.fromConfig(config, "b:9093").properties(Kind.CONSUMER, "events", Map.of(),
                Map.of());
        assertEquals("ScramLoginModule required username=\"webhook-dispatcher\" password=\"s3cret\";",
                p.get("sasl.jaas.config"));
        assertEquals("SASL_SSL", p.get("security.protocol"), "the environment variable outranks the property");
        assertEquals("PEM", p.get("ssl.truststore.type"));
        assertNull(p.get("password"), "keyhook.kafka.password is a value to reference, not a Kafka setting");
    }

    /** Any dotted Kafka key, spelled as an environment variable, is read back as the same key. */
    @Property
    void anyKafkaKeySurvivesTheEnvironmentVariableSpelling(@ForAll("namespaces") String namespace,
            @ForAll @AlphaChars @StringLength(min = 1, max = 12) String a,
            @ForAll @AlphaChars @StringLength(min = 1, max = 12) String b) {
        String key = namespace + a.toLowerCase() + "." + b.toLowerCase();
        String env = "KEYHOOK_KAFKA_" + key.toUpperCase().replace('.', '_');
        assertEquals(key, KafkaClients.passThroughKey(env));
        assertEquals(key, KafkaClients.passThroughKey("keyhook.kafka." + key));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> namespaces() {
        return net.jqwik.api.Arbitraries.of("security.", "sasl.", "ssl.", "properties.", "consumer.", "producer.",
                "admin.", "client.events.");
    }
}
