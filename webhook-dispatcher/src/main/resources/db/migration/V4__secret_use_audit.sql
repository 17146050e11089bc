-- Every use of a webhook's client secret toward a receiver's token URL (token-exchange), and every one refused
-- because the URL is not the receiver's (issue 14). Append-only like the other services' audit logs; rows go only
-- through audit_log_prune (the retention job, keyhook.audit.retention), never younger than a day.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    environment text,
    actor       text        NOT NULL,
    action      text        NOT NULL,
    target      text,
    result      text        NOT NULL,
    detail      text
);
CREATE INDEX audit_log_environment_time ON audit_log (environment, id DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

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
