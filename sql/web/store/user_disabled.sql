-- user_disabled: disable (:disabled = 1) or enable (0) the account :username.
update users
set disabled = :disabled, updated_at = :at
where username = :username
