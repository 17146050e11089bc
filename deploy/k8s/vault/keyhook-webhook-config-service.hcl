# webhook-config-service: no access to secret material at all; only its own configuration secrets.
path "secret/data/keyhook/webhook-config-service" { capabilities = ["read"] }
