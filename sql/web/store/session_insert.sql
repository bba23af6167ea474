-- session_insert: a new session of :username; :id is the SHA-256 of the cookie's token.
insert into sessions (id, username, created_at, seen_at)
values (:id, :username, :at, :at)
