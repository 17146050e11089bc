-- token-service owns the "tokens" schema: signing keys, revocations, assertion replay guard, audit.

-- Ed25519 signing keys. The private half is stored only as SecretCipher ciphertext (context "_signing").
-- A key signs from activate_at until retire_at; it stays in the JWKS until expires_at, which is after
-- every token it signed has expired.
CREATE TABLE signing_keys (
    kid                 text PRIMARY KEY,
    algorithm           text        NOT NULL,
    public_key          text        NOT NULL,
    private_ciphertext  text        NOT NULL,
    created_at          timestamptz NOT NULL,
    activate_at         timestamptz NOT NULL,
    retire_at           timestamptz,
    expires_at          timestamptz
);

-- One row per revoked access token (RFC 7009); kept until the token would have expired anyway.
CREATE TABLE revoked_tokens (
    jti         text PRIMARY KEY,
    client_id   text        NOT NULL,
    secret_id   text        NOT NULL,
    environment text,
    revoked_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX revoked_tokens_expires ON revoked_tokens (expires_at);

-- Revocation records to publish on keyhook.token-revocations: an outbox, so none is lost.
-- For a whole secret (invalidated, or its client disabled) the key is the secret id and the
-- unique index keeps it to one record however many replicas notice.
CREATE TABLE revocation_outbox (
    id            bigserial PRIMARY KEY,
    kind          text        NOT NULL,
    secret_id     text        NOT NULL,
    client_id     text        NOT NULL,
    environment   text,
    jti           text,
    reason        text        NOT NULL,
    revoked_at    timestamptz NOT NULL,
    token_expires_at timestamptz,
    published_at  timestamptz
);
CREATE UNIQUE INDEX revocation_outbox_one_per_secret ON revocation_outbox (secret_id) WHERE kind = 'secret';
CREATE INDEX revocation_outbox_unpublished ON revocation_outbox (id) WHERE published_at IS NULL;

-- RFC 7523 assertions already used: a jti is accepted once per client until the assertion expires.
CREATE TABLE used_assertions (
    client_id  text        NOT NULL,
    jti        text        NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX used_assertions_expires ON used_assertions (expires_at);

-- Token-endpoint failures and revocations. Never a secret, an assertion or a token in here.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    environment text,
    actor       text        NOT NULL,
    source      text,
    action      text        NOT NULL,
    target      text,
    result      text        NOT NULL,
    reason      text
);
CREATE INDEX audit_log_environment_time ON audit_log (environment, occurred_at DESC, id DESC);

-- Append-only for the application's role: rows can be added, never changed or removed.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
