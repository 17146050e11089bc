-- webhook-dispatcher owns the "dispatcher" schema: every delivery it owes, and every attempt.
-- (Issue 5 in progress: the tables the consumer and the delivery engine will use.)

-- One row per (event, webhook). Written before the Kafka offset is committed, so a crash loses nothing;
-- the unique key makes re-reading the same records after a crash harmless.
CREATE TABLE deliveries (
    id              text PRIMARY KEY,
    sequence        bigserial   NOT NULL,
    webhook_id      text        NOT NULL,
    environment     text        NOT NULL,
    event_id        text        NOT NULL,
    msg_id          text        NOT NULL,
    type            text        NOT NULL,
    ordering_key    text        NOT NULL,
    body            text        NOT NULL,
    status          text        NOT NULL,  -- pending | held | delivered | failed | expired
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    last_status     int,
    last_error      text,
    claimed_until   timestamptz,           -- a dispatcher instance is attempting it until then
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    UNIQUE (webhook_id, event_id)
);
-- "is an earlier delivery of the same record to the same webhook still open?"
CREATE INDEX deliveries_open_by_record ON deliveries (webhook_id, ordering_key, sequence)
    WHERE status IN ('pending', 'held');
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_held ON deliveries (webhook_id, sequence) WHERE status = 'held';
CREATE INDEX deliveries_log ON deliveries (environment, webhook_id, created_at DESC);

CREATE TABLE attempts (
    delivery_id   text        NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempt       int         NOT NULL,
    started_at    timestamptz NOT NULL,
    latency_ms    int,
    status_code   int,
    error         text,
    response      text,
    PRIMARY KEY (delivery_id, attempt)
);
