-- access_log_insert: one row of the append-only access log.
insert into access_log (at, username, role, action, target, night, detail, client)
values (:at, :username, :role, :action, :target, :night, :detail, :client)
