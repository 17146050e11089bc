-- credentials-service owns everything in schema "credentials".

create table configurations (
    name        varchar(64)  primary key,
    version     integer      not null,
    data_types  text         not null, -- comma-separated, each [a-z][a-z0-9_]*
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null
);

-- every published version of a Configuration, kept for history
create table configuration_versions (
    name        varchar(64)  not null references configurations (name),
    version     integer      not null,
    data_types  text         not null,
    created_at  timestamptz  not null,
    primary key (name, version)
);

create table environments (
    id                  varchar(64)  primary key,
    name                varchar(100) not null,
    configuration_name  varchar(64)  not null references configurations (name),
    created_at          timestamptz  not null,
    updated_at          timestamptz  not null
);

-- API clients (kind = 'api', one Environment) and admin clients (kind = 'admin', groups + environments)
create table clients (
    id              varchar(64)   primary key,
    kind            varchar(8)    not null check (kind in ('api', 'admin')),
    environment_id  varchar(64)   references environments (id),
    name            varchar(100)  not null,
    description     varchar(500),
    status          varchar(16)   not null check (status in ('active', 'disabled')),
    groups_list     text,
    environments_list text,
    created_at      timestamptz   not null,
    updated_at      timestamptz   not null,
    disabled_at     timestamptz,
    check ((kind = 'api') = (environment_id is not null))
);
create index clients_environment_idx on clients (environment_id, created_at);

create table client_secrets (
    id              varchar(64)   primary key,
    client_id       varchar(64)   not null references clients (id),
    status          varchar(16)   not null check (status in ('active', 'invalidated')),
    verifier        varchar(128)  not null,
    ciphertext      text          not null,
    key_version     integer       not null,
    created_at      timestamptz   not null,
    invalidated_at  timestamptz,
    last_used_at    timestamptz
);
create index client_secrets_client_idx on client_secrets (client_id, created_at);

-- the single source of truth for "a webhook uses this secret"
create table secret_leases (
    secret_id       varchar(64)  not null references client_secrets (id),
    webhook_id      varchar(64)  not null,
    environment_id  varchar(64)  not null,
    created_at      timestamptz  not null,
    primary key (secret_id, webhook_id)
);
create index secret_leases_webhook_idx on secret_leases (webhook_id);

-- transactional outbox: written in the same transaction as the change, published to Kafka in id order
create table outbox (
    id          bigserial     primary key,
    topic       varchar(128)  not null,
    record_key  varchar(128)  not null,
    payload     text,          -- null = tombstone
    created_at  timestamptz   not null
);

create table audit_log (
    id              bigserial     primary key,
    occurred_at     timestamptz   not null,
    actor           varchar(200)  not null,
    action          varchar(64)   not null,
    environment_id  varchar(64),
    target_type     varchar(32)   not null,
    target_id       varchar(128),
    result          varchar(64)   not null,
    detail          varchar(1000)
);
create index audit_log_environment_idx on audit_log (environment_id, occurred_at desc);

-- The audit trail is append-only for everybody, the application's role included: triggers cannot be
-- bypassed by table privileges, so they hold even when the app connects as the table owner.
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only();
