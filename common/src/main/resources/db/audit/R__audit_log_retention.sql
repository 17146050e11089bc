-- The audit log's append-only rule and its one exception, the same in every service's schema (each service lists
-- db/audit among its Flyway locations; this repeatable migration runs after its versioned ones, in its schema).
-- UPDATE and TRUNCATE are refused, and so is any DELETE except one made by audit_log_prune, which removes only rows
-- older than a retention of at least one day (common AuditRetention calls it; keyhook.audit.retention). With separate
-- database roles, also revoke DELETE on audit_log from the application's role and let it EXECUTE audit_log_prune only
-- (SECURITY DEFINER). One call at a time per schema (a transaction-scoped advisory lock; a replica finding it taken
-- gets 0 and tries again at its next interval). Idempotent: it may run again whenever this file changes.
DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log;
DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE OR REPLACE FUNCTION audit_log_prune(retention_seconds bigint, max_rows integer) RETURNS bigint
    LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    cutoff timestamptz;
    removed bigint;
BEGIN
    IF retention_seconds < 86400 THEN
        RAISE EXCEPTION 'audit retention must be at least one day';
    END IF;
    -- one replica prunes at a time: the others skip this round rather than scan and wait for the same rows
    IF NOT pg_try_advisory_xact_lock(hashtext(current_schema() || '.audit_log_prune')) THEN
        RETURN 0;
    END IF;
    cutoff := now() - make_interval(secs => retention_seconds);
    DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE occurred_at < cutoff ORDER BY id LIMIT max_rows);
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END;
$$;

-- a row may go only when audit_log_prune is on the call stack and the row is over a day old
CREATE OR REPLACE FUNCTION audit_log_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stack text;
BEGIN
    GET DIAGNOSTICS stack = PG_CONTEXT;
    IF position('audit_log_prune(' in stack) = 0 OR OLD.occurred_at >= now() - interval '1 day' THEN
        RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END;
$$;
DROP TRIGGER IF EXISTS audit_log_delete_only_by_retention ON audit_log;
CREATE TRIGGER audit_log_delete_only_by_retention BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_delete_guard();
