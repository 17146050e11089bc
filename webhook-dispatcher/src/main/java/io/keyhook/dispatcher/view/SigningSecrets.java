package io.keyhook.dispatcher.view;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.crypto.SecretCipher;
import io.keyhook.common.kafka.CompactedTopicView;
import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * The secrets webhooks sign with, from the compacted {@code keyhook.credentials} topic: ciphertexts only, decrypted
 * through the {@link SecretCipher} (Vault Transit in production) when first needed and kept in memory until the secret
 * changes or stops being usable. No call to credentials-service per event.
 */
@ApplicationScoped
public class SigningSecrets {

    /** One secret as the dispatcher needs it. */
    public record Entry(String secretId, String clientId, String environment, boolean usable, String ciphertext) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ClientRecord(String kind, String clientId, String environment, String status, List<SecretRecord> secrets) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SecretRecord(String id, String status, String ciphertext) {
    }

    @Inject
    ObjectMapper json;

    @Inject
    SecretCipher cipher;

    private final ConcurrentHashMap<String, Entry> secrets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, List<String>> secretsOfClient = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> plaintexts = new ConcurrentHashMap<>();
    @Inject
    KafkaClients kafka;

    @Inject
    KafkaSettings kafkaSettings;

    private CompactedTopicView topic;

    void start(@Observes StartupEvent event) {
        topic = new CompactedTopicView(kafka, kafkaSettings, kafkaSettings.credentialsTopic(),
                "webhook-dispatcher-credentials", this::apply).start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (topic != null) {
            topic.close();
        }
    }

    public Entry entry(String secretId) {
        return secrets.get(secretId);
    }

    /** The secret's value, as shown at creation; fails when the secret is unknown or no longer usable. */
    public Uni<String> value(String secretId) {
        Entry e = secrets.get(secretId);
        if (e == null || !e.usable() || e.ciphertext() == null) {
            return Uni.createFrom().failure(new IllegalStateException("secret " + secretId + " is not usable"));
        }
        String known = plaintexts.get(secretId);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return cipher.decrypt(e.environment(), e.ciphertext()).map(b -> new String(b, StandardCharsets.UTF_8))
                .invoke(v -> {
                    // cache only if the secret did not change meanwhile
                    if (secrets.get(secretId) == e) {
                        plaintexts.put(secretId, v);
                    }
                });
    }

    public boolean caughtUp() {
        return topic != null && topic.caughtUp();
    }

    private void apply(ConsumerRecord<String, String> r) {
        List<String> previous = r.value() == null ? secretsOfClient.remove(r.key()) : secretsOfClient.get(r.key());
        if (r.value() == null) {
            forget(previous);
            return;
        }
        ClientRecord c;
        try {
            c = json.readValue(r.value(), ClientRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a client record", e);
        }
        if (!"api".equals(c.kind()) || c.secrets() == null) {
            // admin clients never sign webhooks
            return;
        }
        forget(previous);
        boolean clientActive = "active".equals(c.status());
        for (SecretRecord s : c.secrets()) {
            secrets.put(s.id(), new Entry(s.id(), c.clientId(), c.environment(),
                    clientActive && "active".equals(s.status()), s.ciphertext()));
        }
        secretsOfClient.put(c.clientId(), c.secrets().stream().map(SecretRecord::id).toList());
    }

    private void forget(List<String> ids) {
        if (ids != null) {
            ids.forEach(id -> {
                secrets.remove(id);
                plaintexts.remove(id);
            });
        }
    }
}
