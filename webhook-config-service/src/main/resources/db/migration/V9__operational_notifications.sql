-- Issue 31: the operational webhook, pause reasons, notification addresses, the e-mail notifier and the activity feed.

-- A webhook is a data webhook (opted-in data-change events) or the Environment's one operational webhook (every
-- operational event of its Environment). The partial unique index makes "at most one per Environment" hold even for
-- two creates at once.
ALTER TABLE webhooks ADD COLUMN purpose text NOT NULL DEFAULT 'data' CHECK (purpose IN ('data', 'operational'));
CREATE UNIQUE INDEX webhooks_one_operational ON webhooks (environment) WHERE purpose = 'operational';

-- Why and since when a webhook is paused: manual (an admin), failing (auto-disable), gone (the receiver said 410).
-- Webhooks paused before this migration count as paused by an admin.
ALTER TABLE webhooks ADD COLUMN paused_reason text CHECK (paused_reason IN ('manual', 'failing', 'gone'));
ALTER TABLE webhooks ADD COLUMN paused_at timestamptz;
UPDATE webhooks SET paused_reason = 'manual', paused_at = updated_at WHERE paused;

-- Where an Environment's operational events are e-mailed (at most 10 addresses, validated by the API).
CREATE TABLE notification_settings (
    environment text PRIMARY KEY,
    emails      text[]      NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- The activity feed: each Environment's operational events as read from keyhook.operational-events, once per event
-- id (a repeat of the same fact has the same id), newest first by seq; pruned after keyhook.notifications.activity-retention.
CREATE TABLE activity (
    seq         bigserial PRIMARY KEY,
    environment text        NOT NULL,
    event_id    text        NOT NULL,
    type        text        NOT NULL,
    time        timestamptz NOT NULL,
    subject     text,
    data        text        NOT NULL,
    received_at timestamptz NOT NULL,
    UNIQUE (environment, event_id)
);
CREATE INDEX activity_feed ON activity (environment, seq DESC);
CREATE INDEX activity_feed_type ON activity (environment, type, seq DESC);
CREATE INDEX activity_received ON activity (received_at);

-- Events waiting to be e-mailed (one row per event; sent_at set in the transaction that recorded the send).
CREATE TABLE notification_queue (
    environment text        NOT NULL,
    event_id    text        NOT NULL,
    queued_at   timestamptz NOT NULL,
    sent_at     timestamptz,
    PRIMARY KEY (environment, event_id)
);
CREATE INDEX notification_queue_pending ON notification_queue (environment, queued_at) WHERE sent_at IS NULL;

-- Per Environment: when its last message went out (the rate limit) and, after a failed send, when to try again.
-- A notifier round locks this row (FOR UPDATE SKIP LOCKED) from choosing the events to sending and recording them,
-- so two replicas never send the same events.
CREATE TABLE notification_windows (
    environment  text PRIMARY KEY,
    last_sent_at timestamptz,
    retry_at     timestamptz,
    failures     integer NOT NULL DEFAULT 0,
    last_error   text
);
