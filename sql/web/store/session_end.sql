-- session_end: end the session :id at :at, saying why (logout, idle, lifetime), if still open.
update sessions
set ended_at = :at, ended_why = :why
where id = :id and ended_at is null
