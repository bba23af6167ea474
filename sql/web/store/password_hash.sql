-- password_hash: the stored hash of the enabled account :username.
select password_hash
from users
where username = :username and disabled = 0
