-- The history's versions from the snapshots after $after on (sql/staging/<history>.sql).
create or replace temp table _history_new as {query}
