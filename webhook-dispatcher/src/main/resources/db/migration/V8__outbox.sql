-- Issue 31: the dispatcher publishes operational events (keyhook.operational-events) through an outbox of its own,
-- written in the transaction that records what the event is about (a delivery ending failed, say), so an event exists
-- exactly when its fact commits. Same shape as every service's outbox (common OutboxRelay, db/outbox).
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    topic       text        NOT NULL,
    record_key  text        NOT NULL,
    payload     text,
    created_at  timestamptz NOT NULL,
    traceparent text,
    txid        xid8        NOT NULL DEFAULT pg_current_xact_id()
);
-- the relay's "every transaction that could still write a lower id has ended" check reads rows by txid
CREATE INDEX outbox_txid ON outbox (txid);
