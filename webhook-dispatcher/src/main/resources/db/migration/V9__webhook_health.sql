-- Issue 31: each webhook's health as the operational events need it, shared by every replica. The counters that lead
-- to "failing" are in each replica's memory (no write per attempt); a row changes only on an episode's edges, each a
-- conditional update in the transaction that also writes the event's outbox row, so of two replicas (or a restarted
-- one) exactly one emits keyhook.webhook.failing, .recovered or keyhook.held.expiring for an episode.
CREATE TABLE webhook_health (
    webhook_id         text        PRIMARY KEY,
    environment        text        NOT NULL,
    -- the failing episode: set when keyhook.webhook.failing was emitted (failing_since = its first failed attempt),
    -- null again when keyhook.webhook.recovered was
    failing_since      timestamptz,
    failing_emitted_at timestamptz,
    -- auto-disable was asked for (at most once per episode: compared with failing_since)
    disable_claimed_at timestamptz,
    recovered_at       timestamptz,
    -- keyhook.held.expiring sent for the webhook's current held episode; null once nothing is held
    held_warned_at     timestamptz,
    updated_at         timestamptz NOT NULL
);
-- auto-disable and the replicas' "which webhooks are failing" refresh read only the failing rows
CREATE INDEX webhook_health_failing ON webhook_health (failing_since) WHERE failing_since IS NOT NULL;
