-- session_seen: the session :id was used at :at.
update sessions
set seen_at = :at
where id = :id
