package io.keyhook.token.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.keyhook.common.crypto.LocalKeyFileCipher;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.core.crypto.SecretVerifier;
import io.keyhook.testing.KafkaBroker;

/**
 * Plays credentials-service's part for token-service tests: makes clients and secrets and publishes their state records
 * on {@code keyhook.credentials} in exactly the published format (verifier with the test pepper, ciphertext with the
 * test key file, so the service can check HS256 assertions).
 */
public final class TestClients {

    static final byte[] PEPPER = Base64.getDecoder().decode("dGVzdC1wZXBwZXItdGVzdC1wZXBwZXItdGVzdC1wZXBwZXI=");
    private static final SecretVerifier VERIFIER = new SecretVerifier(PEPPER);
    private static final LocalKeyFileCipher CIPHER = new LocalKeyFileCipher(
            Path.of("target/test-keys/secret-cipher.keys"));
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static KafkaProducer<String, String> producer;

    private TestClients() {
    }

    /** A secret of a test client, with its value (which only the test knows). */
    public record Secret(String id, String value, boolean active, Instant invalidatedAt) {
    }

    /** A client as credentials-service would hold it. */
    public record Client(String kind, String clientId, String environment, String status, List<String> groups,
            List<String> environments, Instant updatedAt, List<Secret> secrets) {

        public Secret secret() {
            return secrets.get(0);
        }

        public Client withSecret() {
            List<Secret> more = new ArrayList<>(secrets);
            more.add(newSecret());
            return new Client(kind, clientId, environment, status, groups, environments, tick(), more);
        }

        public Client invalidate(String secretId) {
            Instant now = tick();
            List<Secret> changed = secrets.stream()
                    .map(s -> s.id().equals(secretId) ? new Secret(s.id(), s.value(), false, now) : s).toList();
            return new Client(kind, clientId, environment, status, groups, environments, now, changed);
        }

        public Client disable() {
            return new Client(kind, clientId, environment, "disabled", groups, environments, tick(), secrets);
        }

        /** The record JSON, as on the topic. */
        public String json() {
            List<Object> states = new ArrayList<>();
            String context = "admin".equals(kind) ? "_admin" : environment;
            for (Secret s : secrets) {
                states.add(secretState(s, context, updatedAt));
            }
            var record = new java.util.LinkedHashMap<String, Object>();
            record.put("schemaVersion", 1);
            record.put("kind", kind);
            record.put("clientId", clientId);
            record.put("environment", environment);
            record.put("name", "Test client");
            record.put("status", status);
            record.put("groups", groups);
            record.put("environments", environments);
            record.put("updatedAt", updatedAt.toString());
            record.put("secrets", states);
            try {
                return JSON.writeValueAsString(record);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** One secret's state in a record, as credentials-service publishes it. */
    static java.util.Map<String, Object> secretState(Secret s, String context, Instant updatedAt) {
        var state = new java.util.LinkedHashMap<String, Object>();
        state.put("id", s.id());
        state.put("status", s.active() ? "active" : "invalidated");
        state.put("verifier", VERIFIER.verifierOf(s.value()));
        state.put("ciphertext", CIPHER.encryptNow(context, s.value().getBytes(StandardCharsets.UTF_8)));
        state.put("keyVersion", 1);
        state.put("createdAt", updatedAt.toString());
        state.put("invalidatedAt", s.invalidatedAt() == null ? null : s.invalidatedAt().toString());
        return state;
    }

    /** A new secret, not yet part of any client. */
    public static Secret newSecret() {
        return new Secret(SecretGenerator.newId("sec_"), SecretGenerator.newSecret(), true, null);
    }

    public static String environment() {
        return "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 10);
    }

    /** A new active API client with one secret, not yet published anywhere. */
    public static Client apiClient(String environment) {
        return new Client("api", SecretGenerator.newId("cl_"), environment, "active", null, null, tick(),
                List.of(newSecret()));
    }

    /** A new admin client, not yet published anywhere. */
    public static Client adminClient(List<String> groups, List<String> environments) {
        return new Client("admin", SecretGenerator.newId("adm_"), null, "active", groups, environments, tick(),
                List.of(newSecret()));
    }

    /**
     * Commits the client's state the way credentials-service does: its internal API (the stub) answers with it at once,
     * and the outbox puts it on keyhook.credentials.
     */
    public static Client publish(Client c) {
        String json = c.json();
        CredentialsStub.shared().put(c.clientId(), json);
        send(c.clientId(), json);
        return c;
    }

    /**
     * As {@link #publish(Client)}, with issue 30's fields: the client's allowed {@code scopes} and
     * {@code tokenLifetimeSeconds} (a null one is left out, as credentials-service leaves it out).
     */
    public static Client publish(Client c, List<String> scopes, Long tokenLifetimeSeconds) {
        try {
            var record = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(c.json());
            if (scopes != null) {
                record.set("scopes", JSON.valueToTree(scopes));
            }
            if (tokenLifetimeSeconds != null) {
                record.put("tokenLifetimeSeconds", tokenLifetimeSeconds);
            }
            String json = JSON.writeValueAsString(record);
            CredentialsStub.shared().put(c.clientId(), json);
            send(c.clientId(), json);
            return c;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Only on the topic: as if credentials-service were unreachable. */
    public static Client publishToTopicOnly(Client c) {
        send(c.clientId(), c.json());
        return c;
    }

    /** Publishes any value (even a malformed one) under a key. */
    public static void send(String key, String value) {
        send("keyhook.credentials", key, value);
    }

    /** Publishes a value to any topic. */
    public static synchronized void send(String topic, String key, String value) {
        if (producer == null) {
            Properties p = KafkaBroker.shared().clientProperties();
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // strictly increasing timestamps, as the database's clock gives credentials-service
    private static Instant last = Instant.EPOCH;

    static synchronized Instant tick() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        last = now.isAfter(last) ? now : last.plus(1, ChronoUnit.MICROS);
        return last;
    }
}
