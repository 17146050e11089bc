-- Issue 30: access tokens are signed with EdDSA (Ed25519), ES256 (P-256) or RS256 (RSA), chosen by
-- keyhook.token.signing.algorithm and per Environment. Each key keeps the algorithm it was made for
-- (the column existed, always 'EdDSA'); its public_key is the base64url raw Ed25519 key or, for ES256
-- and RS256, the base64url X.509 SubjectPublicKeyInfo, and private_ciphertext the SecretCipher
-- ciphertext of the raw Ed25519 key or the PKCS#8 key.
ALTER TABLE signing_keys
    ADD CONSTRAINT signing_keys_algorithm CHECK (algorithm IN ('EdDSA', 'ES256', 'RS256'));
-- each algorithm's schedule reads its own keys, newest first
CREATE INDEX signing_keys_algorithm_activate ON signing_keys (algorithm, activate_at DESC);
