package io.keyhook.token.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.NewTopic;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.RevocationRecord;
import io.keyhook.common.kafka.OutboxRelay;
import io.keyhook.common.kafka.OutboxRows;
import io.keyhook.common.kafka.ServiceOutbox;
import io.keyhook.common.kafka.SuiteTopics;

/**
 * {@code tokens.outbox} to {@code keyhook.token-revocations}, through the suite's one {@link OutboxRelay}: a revocation
 * and its record commit together, records go out in commit order (per secret: key = secret id), and only what the
 * broker acknowledged is deleted. Several replicas may run it; one publishes at a time.
 */
@ApplicationScoped
public class RevocationOutbox extends ServiceOutbox {

    // arbitrary but fixed: "keyhook-tokens-outbox"
    static final long LOCK_ID = 0x6b68_746f_6b6f_7574L;

    @Inject
    ObjectMapper json;

    @Override
    protected String schema() {
        return "tokens";
    }

    @Override
    protected List<NewTopic> topics() {
        return List.of(SuiteTopics.revocations(settings));
    }

    @Override
    protected String clientId() {
        return "token-service-revocations";
    }

    @Override
    protected long lockId() {
        return LOCK_ID;
    }

    public String topic() {
        return settings.revocationsTopic();
    }

    /** The record's JSON, as the outbox row's payload. */
    public String payload(RevocationRecord r) {
        return OutboxRows.toJson(r, json);
    }
}
