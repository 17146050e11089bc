package io.keyhook.credentials.messaging;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.keyhook.common.contract.ClientStateRecord;
import io.keyhook.common.contract.EnvironmentStateRecord;
import io.keyhook.common.contract.OperationalEvent;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.common.kafka.OutboxRows;
import io.keyhook.credentials.persistence.ClientEntity;
import io.keyhook.credentials.persistence.ConfigurationEntity;
import io.keyhook.credentials.persistence.EnvironmentEntity;
import io.keyhook.credentials.persistence.OutboxEntity;
import io.keyhook.credentials.persistence.OutboxRepository;
import io.keyhook.credentials.persistence.SecretEntity;
import io.smallrye.mutiny.Uni;

/**
 * Writes the state records of changed clients and Environments into the outbox. Must be called inside the transaction
 * of the change, so the record exists exactly when the change is committed.
 */
@ApplicationScoped
public class OutboxWriter {

    static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper JWKS_READER = JsonMapper.builder().build();

    @Inject
    OutboxRepository outbox;

    @Inject
    ObjectMapper json;

    @Inject
    KafkaSettings kafka;

    public Uni<Void> clientChanged(ClientEntity c, List<SecretEntity> secrets) {
        return write(kafka.credentialsTopic(), c.id, stateOf(c, secrets));
    }

    /** The full state record of a client: what the topic carries and the internal client API answers. */
    public static ClientStateRecord stateOf(ClientEntity c, List<SecretEntity> secrets) {
        List<ClientStateRecord.SecretState> states = secrets.stream().map(s -> new ClientStateRecord.SecretState(s.id,
                s.status, s.verifier, s.ciphertext, s.keyVersion, s.createdAt, s.invalidatedAt)).toList();
        // private_key_jwt fields only for such a client: a client_secret client's record stays as it always was
        boolean pkjwt = c.usesPrivateKeyJwt();
        return new ClientStateRecord(SCHEMA_VERSION, c.kind, c.id, c.environmentId, c.name, c.status,
                ClientEntity.ADMIN.equals(c.kind) ? c.groups : null,
                ClientEntity.ADMIN.equals(c.kind) ? c.environments : null, c.updatedAt, states,
                pkjwt ? ClientEntity.PRIVATE_KEY_JWT : null, pkjwt ? jwksOf(c) : null, pkjwt ? c.jwksUri : null,
                c.scopes, c.tokenLifetimeSeconds);
    }

    private static JsonNode jwksOf(ClientEntity c) {
        try {
            return c.jwks == null ? null : JWKS_READER.readTree(c.jwks);
        } catch (JsonProcessingException e) {
            // validated when saved: unreadable text here is a broken row, not a client's mistake
            throw new IllegalStateException("client " + c.id + " has an unreadable jwks", e);
        }
    }

    public Uni<Void> environmentChanged(EnvironmentEntity e, ConfigurationEntity c) {
        return write(kafka.environmentsTopic(), e.id, stateOf(e, c));
    }

    /** The state record of an Environment and the Configuration it uses: what the topic carries. */
    public static EnvironmentStateRecord stateOf(EnvironmentEntity e, ConfigurationEntity c) {
        // the record changes when either does; PostgreSQL keeps microseconds, so the record does too (a republished
        // record read back from the database must not look older than the one first published from memory)
        Instant changed = c.updatedAt != null && (e.updatedAt == null || c.updatedAt.isAfter(e.updatedAt)) ? c.updatedAt
                : e.updatedAt;
        return new EnvironmentStateRecord(SCHEMA_VERSION, e.id, e.name,
                new EnvironmentStateRecord.Configuration(c.name, c.version, c.dataTypes),
                changed == null ? null : changed.truncatedTo(ChronoUnit.MICROS), e.tokenSigningAlg, e.secretMaxAgeDays,
                // the grace means nothing without a maximum: absent then, so such a record stays as it was
                e.secretMaxAgeDays == null ? null : e.secretExpiryGraceDays);
    }

    /**
     * An operational event (issue 31, {@code keyhook.operational-events}, key = its Environment), in the caller's
     * transaction: the one that records its fact.
     */
    public Uni<Void> operational(OperationalEvent e) {
        return write(kafka.operationalEventsTopic(), e.environment(), e);
    }

    private Uni<Void> write(String topic, String key, Object value) {
        // the common outbox row, written through Hibernate like every table of this service
        return Uni.createFrom().item(() -> OutboxEntity.of(OutboxRows.Row.of(topic, key, value, json)))
                .chain(row -> outbox.persist(row)).replaceWithVoid();
    }
}
