-- session: the session whose token has the SHA-256 :id.
select username, created_at, seen_at, ended_at
from sessions
where id = :id
