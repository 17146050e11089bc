# webhook-dispatcher: decrypts the signing secrets of the webhooks it delivers for; never encrypts.
path "transit/decrypt/keyhook-client-secrets" { capabilities = ["update"] }
path "secret/data/keyhook/webhook-dispatcher" { capabilities = ["read"] }
