-- Issue 30: an Environment's maximum secret age applies to a webhook's own signing keys and secrets (SigningKeyAgeJob).
-- One row per own key found older than the maximum. Each step is a conditional update of this row, so with several
-- replicas running the job at once each happens (and is audited) once:
--   age_flagged_at        when it was flagged (the insert that made the row; shown as ageFlaggedAt);
--   expiry_claimed_until  a replica is checking whether it may expire the key (the verification ping) until then;
--   expiry_blocked_at     when its expiry was first refused, and why (audited once per key);
--   expired_at            when it was expired (retired by the job).
CREATE TABLE signing_key_ages (
    key_id                text PRIMARY KEY,
    webhook_id            text        NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    environment           text        NOT NULL,
    age_flagged_at        timestamptz NOT NULL,
    expiry_claimed_until  timestamptz,
    expiry_blocked_at     timestamptz,
    expiry_blocked_reason text,
    expired_at            timestamptz
);
CREATE INDEX signing_key_ages_webhook ON signing_key_ages (webhook_id);
