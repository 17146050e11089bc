# credentials-service: encrypts new client secrets and rewraps them after a key rotation (derived keys, context =
# Environment id); reads its own configuration secrets.
path "transit/encrypt/keyhook-client-secrets" { capabilities = ["update"] }
path "transit/decrypt/keyhook-client-secrets" { capabilities = ["update"] }
path "transit/rewrap/keyhook-client-secrets"  { capabilities = ["update"] }
path "transit/keys/keyhook-client-secrets"    { capabilities = ["read"] }
path "secret/data/keyhook/credentials-service" { capabilities = ["read"] }
