-- user_sessions_end: end every open session of :username at :at (logout, disabled, reset).
update sessions
set ended_at = :at, ended_why = :why
where username = :username and ended_at is null
