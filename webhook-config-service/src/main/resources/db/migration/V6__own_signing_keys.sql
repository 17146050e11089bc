-- Issue 30: a standard-webhooks webhook may sign with material of its own instead of API client secrets.
-- signature_scheme: v1 (HMAC-SHA256, the default when null) or v1a (Ed25519).
-- signing_keys: JSON array of the contract's WebhookState.SigningKey (id, kind, status, publicKey, ciphertext,
-- keyVersion, createdAt, retiredAt); private keys and secrets only as SecretCipher ciphertext. Null when the webhook
-- signs with client secrets (secret_ids), as every webhook did before.
ALTER TABLE webhooks ADD COLUMN signature_scheme text;
ALTER TABLE webhooks ADD COLUMN signing_keys text;
