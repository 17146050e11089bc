-- Each webhook's circuit breaker as the API and the console show it (issue 16). The breaker itself lives in the
-- memory of the dispatcher replica that owns the webhook's partition; this row is written on each transition (rare),
-- so any replica can answer for it. One row per webhook: the replica that handles it last wins.
CREATE TABLE webhook_breakers (
    webhook_id        text        PRIMARY KEY,
    environment       text        NOT NULL,
    opened_at         timestamptz,
    open_until        timestamptz,
    closed_at         timestamptz,
    failures_in_a_row integer     NOT NULL DEFAULT 0,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX webhook_breakers_environment ON webhook_breakers (environment);

-- Events that became no delivery, counted per Environment, reason and type (issue 16). Only Environments the
-- dispatcher knows are counted, and their types are bounded by their Configuration, so the table stays small.
-- Replicas add their counts (count = count + delta), so the figures are the suite's, not one replica's.
CREATE TABLE dropped_events (
    environment text        NOT NULL,
    reason      text        NOT NULL,
    type        text        NOT NULL,
    count       bigint      NOT NULL,
    first_at    timestamptz NOT NULL,
    last_at     timestamptz NOT NULL,
    PRIMARY KEY (environment, reason, type)
);
