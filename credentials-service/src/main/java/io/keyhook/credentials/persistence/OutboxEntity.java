package io.keyhook.credentials.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.keyhook.common.kafka.OutboxRows;

/** A Kafka record waiting to be published; written in the transaction of the change it describes. */
@Entity
@Table(name = "outbox")
public class OutboxEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String topic;

    @Column(name = "record_key")
    public String recordKey;

    /** The record value; null publishes a tombstone. */
    public String payload;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The W3C traceparent of the change (null outside a trace): published as the record's header. */
    public String traceparent;

    /** The entity of a common outbox row ({@code OutboxRows}). */
    public static OutboxEntity of(OutboxRows.Row row) {
        OutboxEntity e = new OutboxEntity();
        e.topic = row.topic();
        e.recordKey = row.key();
        e.payload = row.payload();
        e.createdAt = row.createdAt();
        e.traceparent = row.traceparent();
        return e;
    }
}
