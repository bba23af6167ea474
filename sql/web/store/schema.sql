-- schema: the web store's tables, created once (web/store.py: connect). The access log is
-- append-only: its triggers refuse every UPDATE and DELETE.
create table if not exists users (
    username text primary key,
    role text not null check (role in ('analyst', 'team', 'admin')),
    emd_code text,
    password_hash text not null,
    disabled integer not null default 0,
    session_version integer not null default 1,  -- unused since the sessions table
    created_at text not null,
    updated_at text not null,
    check ((role = 'team') = (emd_code is not null))
);
create table if not exists sessions (
    id text primary key,  -- SHA-256 of the cookie's token
    username text not null,
    created_at text not null,
    seen_at text not null,
    ended_at text,
    ended_why text
);
create index if not exists sessions_by_user on sessions (username, ended_at);
create table if not exists access_log (
    id integer primary key autoincrement,
    at text not null,
    username text,
    role text,
    action text not null,
    target text,
    night text,
    detail text,
    client text
);
create trigger if not exists access_log_no_update before update on access_log
begin select raise(abort, 'access_log is append-only'); end;
create trigger if not exists access_log_no_delete before delete on access_log
begin select raise(abort, 'access_log is append-only'); end;
