-- Every use of a webhook's client secret toward a receiver's token URL (token-exchange), and every one refused
-- because the URL is not the receiver's (issue 14). Append-only like the other services' audit logs.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    environment text,
    actor       text        NOT NULL,
    action      text        NOT NULL,
    target      text,
    result      text        NOT NULL,
    detail      text
);
CREATE INDEX audit_log_environment_time ON audit_log (environment, id DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
-- its triggers and audit_log_prune: common db/audit/R__audit_log_retention.sql, as in every service
