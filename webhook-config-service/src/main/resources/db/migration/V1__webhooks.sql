-- webhook-config-service owns the "webhooks" schema.

CREATE TABLE webhooks (
    id                  text PRIMARY KEY,
    environment         text        NOT NULL,
    url                 text        NOT NULL,
    method              text        NOT NULL,
    secret_ids          text[]      NOT NULL,
    token_url           text,
    notification_types  text[]      NOT NULL,
    paused              boolean     NOT NULL,
    version             bigint      NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX webhooks_environment ON webhooks (environment, created_at);

-- Changes to publish on keyhook.webhooks, written in the transaction of the change (null payload = tombstone).
CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    topic      text        NOT NULL,
    record_key text        NOT NULL,
    payload    text,
    created_at timestamptz NOT NULL
);

-- Who did what to which webhook, with what result. Never a secret.
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
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
