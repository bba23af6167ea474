-- sessions_forget: drop the rows of sessions created before :oldest (none can be alive).
delete from sessions
where created_at < :oldest
