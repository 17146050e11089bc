-- One audit_log shape in every service (common AuditEntry): environment, actor, source, action, target_type,
-- target, result, detail. Renames and a type change of varchar to text rewrite nothing; the append-only
-- triggers fire on row changes, not on ALTER TABLE.
alter table audit_log rename column environment_id to environment;
alter table audit_log rename column target_id to target;
alter table audit_log alter column environment type text, alter column actor type text,
    alter column action type text, alter column target_type type text, alter column target type text,
    alter column result type text, alter column detail type text;
alter table audit_log alter column target_type drop not null;
alter table audit_log add column source text;
