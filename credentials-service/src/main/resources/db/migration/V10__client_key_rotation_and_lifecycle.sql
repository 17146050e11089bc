-- Guided, verified rotation of a private_key_jwt client's inline key (issue 30): the new key is added to the JWKS at
-- start, the old one removed at finish once token-service reports the new key in use and the old one quiet. At most
-- one open rotation per client, enforced here (two starts at once: the second insert fails, answered 409).
create table client_key_rotations (
    id               varchar(64)   primary key,
    client_id        varchar(64)   not null references clients (id) on delete cascade,
    environment_id   varchar(64)   not null,
    old_kid          varchar(128)  not null,
    new_kid          varchar(128)  not null,
    status           varchar(16)   not null check (status in ('open', 'finished', 'cancelled')),
    started_at       timestamptz   not null,
    started_by       varchar(255),
    finished_at      timestamptz,
    override_reason  varchar(500),
    override_by      varchar(255),
    override_at      timestamptz
);
create unique index client_key_rotations_one_open on client_key_rotations (client_id) where status = 'open';
create index client_key_rotations_by_client on client_key_rotations (client_id, started_at desc);

-- Key lifecycle: when each kid of a client was first registered (a key that stays across a PATCH keeps its time), so
-- the Environment's secretMaxAgeDays / secretExpiryGraceDays apply to keys too. A jwksUri client's keys get a row only
-- when flagged (their keys are the customer's; registered_at is then the first use token-service reported).
create table client_keys (
    client_id       varchar(64)   not null references clients (id) on delete cascade,
    kid             varchar(128)  not null,
    registered_at   timestamptz   not null,
    age_flagged_at  timestamptz,
    primary key (client_id, kid)
);
-- the inline keys registered before this migration: the last change of the client is the latest they can date from
insert into client_keys (client_id, kid, registered_at)
select c.id, k ->> 'kid', c.updated_at
from clients c, jsonb_array_elements(c.jwks::jsonb -> 'keys') k
where c.jwks is not null
on conflict do nothing;
