-- Guided credential rotations (SPEC.md section 7 as one flow): new secret, overlap signing, invalidate when safe.
-- Each step is recorded, so an interrupted rotation is resumed by the background job.
CREATE TABLE rotations (
    id             text PRIMARY KEY,
    environment    text        NOT NULL,
    client_id      text        NOT NULL,
    old_secret_id  text        NOT NULL,
    new_secret_id  text,
    state          text        NOT NULL,  -- starting | overlapping | finishing | done | abandoned
    webhook_ids    text[]      NOT NULL DEFAULT '{}',
    finish_after   timestamptz,           -- null: finished when an admin confirms
    started_by     text        NOT NULL,
    last_error     text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
-- one open rotation per secret
CREATE UNIQUE INDEX rotations_open_per_secret ON rotations (old_secret_id) WHERE state IN ('starting', 'overlapping', 'finishing');
CREATE INDEX rotations_by_environment ON rotations (environment, created_at DESC);
CREATE INDEX rotations_due ON rotations (state, finish_after) WHERE state IN ('starting', 'overlapping', 'finishing');
