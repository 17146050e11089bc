# webhook-config-service: no access to client secrets. It encrypts the signing keys and secrets it makes for webhooks
# that sign with material of their own (issue 30), with the same derived Transit key (context = Environment id), and
# never decrypts them (the dispatcher does).
path "secret/data/keyhook/webhook-config-service" { capabilities = ["read"] }
path "transit/encrypt/keyhook-client-secrets" { capabilities = ["update"] }
path "transit/keys/keyhook-client-secrets"    { capabilities = ["read"] }
