-- user: the account named :username (no password hash).
select username, role, emd_code, disabled
from users
where username = :username
