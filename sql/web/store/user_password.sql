-- user_password: a new password hash for :username, which enables the account.
update users
set password_hash = :password_hash, disabled = 0, updated_at = :at
where username = :username
