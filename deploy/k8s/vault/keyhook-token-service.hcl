# token-service: verifies client secrets against peppered verifiers (no decryption needed for that), but encrypts and
# decrypts its own token-signing keys (context "_signing").
path "transit/encrypt/keyhook-client-secrets" { capabilities = ["update"] }
path "transit/decrypt/keyhook-client-secrets" { capabilities = ["update"] }
path "secret/data/keyhook/token-service" { capabilities = ["read"] }
