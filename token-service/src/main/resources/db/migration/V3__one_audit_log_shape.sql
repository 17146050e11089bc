-- One audit_log shape in every service (common AuditEntry): environment, actor, source, action, target_type,
-- target, result, detail. A rename and a new nullable column rewrite nothing.
ALTER TABLE audit_log RENAME COLUMN reason TO detail;
ALTER TABLE audit_log ADD COLUMN target_type text;
