-- fairness_audit: created from the columns of the audit being stored (fairness_frame,
-- models/fairness.py: store_fairness); tables written before scopes existed hold validation
-- audits only.
create table if not exists fairness_audit as from fairness_frame limit 0;
alter table fairness_audit add column if not exists scope varchar;
alter table fairness_audit add column if not exists night date;
update fairness_audit set scope = 'validation' where scope is null;
