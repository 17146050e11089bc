-- Revocation records reach keyhook.token-revocations through the same transactional outbox and relay as every other
-- service's change (common OutboxRelay): written in the transaction of the revocation, published in commit order,
-- deleted exactly when the broker acknowledged them. The table that held them becomes the record of revocations.
CREATE TABLE outbox (
    id          bigserial   PRIMARY KEY,
    topic       text        NOT NULL,
    record_key  text        NOT NULL,
    payload     text,
    traceparent text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    txid        xid8        NOT NULL DEFAULT pg_current_xact_id()
);

ALTER TABLE revocation_outbox RENAME TO revocations;
ALTER INDEX revocation_outbox_one_per_secret RENAME TO revocations_one_per_secret;

-- what the previous version had not published yet moves to the outbox, as the same record
INSERT INTO outbox (topic, record_key, payload, created_at)
SELECT '${revocationsTopic}', secret_id,
       json_build_object('schemaVersion', 1, 'kind', kind, 'secretId', secret_id, 'clientId', client_id,
                         'environment', environment, 'jti', jti, 'reason', reason,
                         'revokedAt', to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                         'tokenExpiresAt',
                         to_char(token_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text,
       revoked_at
FROM revocations WHERE published_at IS NULL ORDER BY id;

DROP INDEX revocation_outbox_unpublished;
ALTER TABLE revocations DROP COLUMN published_at;
CREATE INDEX revocations_revoked_at ON revocations (revoked_at);
