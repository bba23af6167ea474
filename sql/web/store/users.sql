-- users: every account, by name (no password hash).
select username, role, emd_code, disabled, created_at, updated_at
from users
order by username
