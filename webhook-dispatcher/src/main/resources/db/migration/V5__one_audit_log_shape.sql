-- One audit_log shape in every service (common AuditEntry): environment, actor, source, action, target_type,
-- target, result, detail. New nullable columns rewrite nothing.
ALTER TABLE audit_log ADD COLUMN source text, ADD COLUMN target_type text;
