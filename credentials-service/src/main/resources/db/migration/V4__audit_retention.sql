-- Audit retention (issue 14). The audit log stays append-only: UPDATE and TRUNCATE are refused, and so is any DELETE
-- except one made by audit_log_prune, which removes only rows older than a retention of at least one day. The
-- services call it from their retention job (keyhook.audit.retention). With separate database roles, also revoke
-- DELETE on audit_log from the application's role and let it EXECUTE audit_log_prune only (SECURITY DEFINER).
DROP TRIGGER audit_log_no_update ON audit_log;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE FUNCTION audit_log_prune(retention_seconds bigint, max_rows integer) RETURNS bigint
    LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    cutoff timestamptz;
    removed bigint;
BEGIN
    IF retention_seconds < 86400 THEN
        RAISE EXCEPTION 'audit retention must be at least one day';
    END IF;
    cutoff := now() - make_interval(secs => retention_seconds);
    DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE occurred_at < cutoff ORDER BY id LIMIT max_rows);
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END;
$$;

-- a row may go only when audit_log_prune is on the call stack and the row is over a day old
CREATE FUNCTION audit_log_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER audit_log_delete_only_by_retention BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_delete_guard();
