-- Wakes the outbox relays the moment a change commits (common CommitNotifications), the same in every schema with an
-- outbox (each such service lists db/outbox among its Flyway locations; this repeatable migration runs after its
-- versioned ones, in its schema). NOTIFY is delivered at commit, never for a transaction rolled back, to every replica
-- listening on keyhook_outbox_<schema>. Once per statement; one transaction's notifications on one channel are folded
-- into one. The relay's interval remains the fallback. Idempotent: it may run again whenever this file changes.
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('keyhook_outbox_' || TG_TABLE_SCHEMA, '');
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS outbox_notify ON outbox;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
