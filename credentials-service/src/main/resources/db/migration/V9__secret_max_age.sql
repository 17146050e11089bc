-- Secret lifecycle (issue 30): an optional maximum age per Environment. A secret older than it is flagged (once,
-- audited), and invalidated after the grace period unless a webhook still holds it.
ALTER TABLE environments ADD COLUMN secret_max_age_days integer;
ALTER TABLE environments ADD COLUMN secret_expiry_grace_days integer NOT NULL DEFAULT 14;
ALTER TABLE client_secrets ADD COLUMN age_flagged_at timestamptz;
