-- The relay publishes a row only once every transaction that could still write a row with a lower id has ended
-- (txid < pg_snapshot_xmin): a later-committing row can then never be skipped or deleted unpublished.
alter table outbox add column txid xid8 not null default pg_current_xact_id();
