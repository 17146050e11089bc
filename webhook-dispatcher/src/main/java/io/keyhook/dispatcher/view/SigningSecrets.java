package io.keyhook.dispatcher.view;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.ClientStateRecord;
import io.keyhook.common.contract.Topics;
import io.keyhook.common.crypto.SecretCipher;
import io.keyhook.common.kafka.CompactedTopicView;
import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.common.kafka.SuiteTopics;
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

    private final SecretCipher cipher;
    private final ConcurrentHashMap<String, Entry> secrets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, List<String>> secretsOfClient = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> plaintexts = new ConcurrentHashMap<>();
    private volatile CompactedTopicView<String, ClientStateRecord> topic;

    @Inject
    public SigningSecrets(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** What it follows the topic with is given at start: the view holds only the cipher. */
    void start(@Observes StartupEvent event, KafkaClients kafka, KafkaSettings kafkaSettings, ObjectMapper json) {
        topic = new CompactedTopicView<>(kafka, kafkaSettings, SuiteTopics.credentials(kafkaSettings),
                "webhook-dispatcher-credentials", Topics.CREDENTIALS, json,
                CompactedTopicView.Listener.of(this::put, this::remove)).start();
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

    /** A client's state now: its secrets replace those it had (an admin client's never sign webhooks). */
    void put(String clientId, ClientStateRecord c) {
        if (!ClientStateRecord.API.equals(c.kind()) || c.secrets() == null) {
            return;
        }
        forget(secretsOfClient.get(clientId));
        boolean clientActive = ClientStateRecord.ACTIVE.equals(c.status());
        for (ClientStateRecord.SecretState s : c.secrets()) {
            secrets.put(s.id(), new Entry(s.id(), clientId, c.environment(),
                    clientActive && ClientStateRecord.ACTIVE.equals(s.status()), s.ciphertext()));
        }
        secretsOfClient.put(clientId, c.secrets().stream().map(ClientStateRecord.SecretState::id).toList());
    }

    /** The client was deleted: none of its secrets signs any more. */
    void remove(String clientId) {
        forget(secretsOfClient.remove(clientId));
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
