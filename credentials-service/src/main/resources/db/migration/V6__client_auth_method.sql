-- issue 30: an API client authenticates with a secret (client_secret, today's and the default) or with a JWT signed by
-- its own private key (private_key_jwt), verified against the public keys it registered: an inline JWKS (jwks, the
-- validated JSON text) or a URL token-service fetches them from (jwks_uri). Exactly one of the two for private_key_jwt,
-- neither for client_secret.
alter table clients add column auth_method varchar(32) not null default 'client_secret'
    check (auth_method in ('client_secret', 'private_key_jwt'));
alter table clients add column jwks text;
alter table clients add column jwks_uri varchar(2048);
alter table clients add constraint clients_key_source_check check (
    (auth_method = 'client_secret' and jwks is null and jwks_uri is null)
    or (auth_method = 'private_key_jwt' and kind = 'api' and (jwks is null) <> (jwks_uri is null)));

-- When each key of a private_key_jwt client was first and last used, per kid, as token-service reports it
-- (POST /internal/v1/key-usage). Written only by an upsert with least/greatest: first_used_at never moves later,
-- last_used_at never moves back, whatever order concurrent reports commit in.
create table client_key_usage (
    client_id      varchar(64)   not null references clients (id) on delete cascade,
    kid            varchar(128)  not null,
    first_used_at  timestamptz   not null,
    last_used_at   timestamptz   not null,
    primary key (client_id, kid)
);
