-- Issue 31: the delivery log is searchable (by record, event, webhook-id), and every event can be followed by its id.

-- The record a delivery is about (the event's data.resourceId), written with each new delivery. Null for deliveries
-- stored before this migration (a nullable column rewrites nothing). Searchable per Environment, newest first.
ALTER TABLE deliveries ADD COLUMN resource_id text;
-- One index per search shape, each in the listing's keyset order (sequence descending), so a page reads only its rows:
-- the Environment-wide log, a webhook's log, by record, by event id (also the event trail), by webhook-id.
CREATE INDEX deliveries_env_sequence ON deliveries (environment, sequence DESC);
CREATE INDEX deliveries_webhook_sequence ON deliveries (webhook_id, sequence DESC);
CREATE INDEX deliveries_resource ON deliveries (environment, resource_id, sequence DESC) WHERE resource_id IS NOT NULL;
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_msg ON deliveries (msg_id);

-- Events that became no delivery, with their ids, for the log retention (the counts stay in dropped_events): dropped
-- (no_webhook, not_opted_in, unknown_type) or dead-lettered with a readable id and Environment. Only Environments the
-- dispatcher knows; the id and every text are the publisher's, validated and capped before they get here. The first
-- outcome of an id is kept (a record read again after a crash writes nothing new).
CREATE TABLE dropped_event_ids (
    seq          bigserial   NOT NULL,
    environment  text        NOT NULL,
    event_id     text        NOT NULL,
    disposition  text        NOT NULL,  -- dropped | dead_lettered
    reason       text        NOT NULL,
    detail       text,
    type         text,
    subject      text,
    resource_id  text,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (environment, event_id)
);
-- "the Environment's most recent", keyset by seq; pruned by age
CREATE INDEX dropped_event_ids_recent ON dropped_event_ids (environment, seq DESC);
CREATE INDEX dropped_event_ids_received ON dropped_event_ids (received_at);
