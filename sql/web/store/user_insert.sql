-- user_insert: a new account, enabled, created and updated at :at.
insert into users (username, role, emd_code, password_hash, created_at, updated_at)
values (:username, :role, :emd_code, :password_hash, :at, :at)
