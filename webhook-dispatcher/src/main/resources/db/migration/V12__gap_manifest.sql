-- Issue 31: the gap manifest. When a delivery to a webhook ends failed (retries ran out) or expired (held past its
-- retention), the record it was about is listed here, one row per (webhook, record): the receiver missed its latest
-- state and re-pulls it. Written in the transaction that records the delivery's end, so an entry exists exactly when
-- the outcome does. Several failed events of one record collapse into one row that keeps the latest (by the deliveries'
-- sequence, which is the record's publish order). A later delivered event of the record resolves it.
CREATE TABLE webhook_gaps (
    webhook_id        text        NOT NULL,
    environment       text        NOT NULL,
    ordering_key      text        NOT NULL,  -- the record (the event's subject), as deliveries.ordering_key
    resource          text        NOT NULL,
    resource_id       text        NOT NULL,
    type              text        NOT NULL,  -- the last missed event's type
    last_event_at     timestamptz NOT NULL,  -- when Keyhook took that event in (deliveries.created_at)
    last_event_id     text        NOT NULL,
    last_sequence     bigint      NOT NULL,  -- deliveries.sequence of that event: "newer" means a higher one
    reason            text        NOT NULL,  -- failed | expired
    delivery_id       text        NOT NULL,
    recorded_at       timestamptz NOT NULL,
    resolved_at       timestamptz,           -- a newer event of the record was delivered
    resolved_sequence bigint,
    PRIMARY KEY (webhook_id, ordering_key)
);
-- the manifest's pages: a webhook's entries by last event time (keyset paging)
CREATE INDEX webhook_gaps_page ON webhook_gaps (webhook_id, last_event_at, ordering_key);
-- retention: entries recorded longer ago than the delivery log keeps deliveries go
CREATE INDEX webhook_gaps_recorded ON webhook_gaps (recorded_at);

-- One row per webhook that has had gaps: whether entries were recorded since keyhook.gaps.available was last emitted.
-- The first delivered attempt after that clears `pending` with a conditional update of this one row, so the event is
-- emitted once per recovery, even when two replicas deliver for the webhook at the same moment.
CREATE TABLE webhook_gap_recoveries (
    webhook_id             text        PRIMARY KEY,
    environment            text        NOT NULL,
    pending                boolean     NOT NULL,
    last_recorded_sequence bigint      NOT NULL,  -- makes the event's id: the same fact, the same id
    updated_at             timestamptz NOT NULL
);
-- the delivered path asks "does this webhook have a pending recovery?": only pending rows are indexed
CREATE INDEX webhook_gap_recoveries_pending ON webhook_gap_recoveries (webhook_id) WHERE pending;
