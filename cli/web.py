"""`sagak web` and `sagak users`: the web application and its accounts (logic in web/)."""

from __future__ import annotations

import getpass
import json
import os
import sys
from typing import Annotated

import typer

from cli.options import HomeOption, check_home, stop
from sagak.settings import get_settings

users_app = typer.Typer(
    help="Accounts of `sagak web`: add, list, disable, reset (roles analyst, team, admin).",
    no_args_is_help=True,
)

PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
]


def web(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    secure_cookies: Annotated[
        bool,
        typer.Option(
            "--secure-cookies/--no-secure-cookies",
            help="Send the session cookie over HTTPS only, with HSTS (behind the HTTPS proxy).",
        ),
    ] = False,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            help="Proxies whose X-Forwarded-For/-Proto are trusted (comma-separated addresses "
            "or networks; '' trusts none). Anyone else's are ignored.",
        ),
    ] = "127.0.0.1",
    idle_minutes: Annotated[
        float, typer.Option(min=1, help="A session ends after this many minutes unused.")
    ] = 30,
    session_hours: Annotated[
        float, typer.Option(min=0.1, help="A session ends this many hours after login.")
    ] = 12,
    home: HomeOption = None,
) -> None:
    """Serve the web application: ranked lists for analysts, sheets and results for teams."""
    from web.app import WebConfig, serve

    settings = get_settings(home)
    check_home(settings)
    config = WebConfig(
        secure_cookies=secure_cookies,
        session_hours=session_hours,
        idle_minutes=idle_minutes,
        forwarded_allow_ips=forwarded_allow_ips,
    )
    typer.echo(f"sagak web on http://{host}:{port} serving {settings.outreach}", err=True)
    try:
        serve(settings, host, port, config)
    except PermissionError as err:
        raise stop(
            f"sagak web cannot write to {err.filename}: permission denied (it keeps its accounts, "
            f"sessions and cookie secret in {settings.home})",
            1,
        ) from err


def read_password(from_stdin: bool) -> str:
    """The new password: stdin's first line, or asked twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("password", hide_input=True, confirmation_prompt=True)


def os_user() -> str:
    """Who ran the command: the operating-system user (their uid if it has no name)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return f"uid {os.getuid()}"


def logged(con, action: str, username: str, detail: str | None = None) -> None:
    """The access-log row of an account change made with `sagak users`."""
    from web import store

    store.log_access(con, None, action, username, detail=detail, client="cli", os_user=os_user())


def hashed_or_exit(password: str) -> str:
    from web.passwords import hash_password

    try:
        return hash_password(password)
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="password") from err


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="analyst, team or admin.")],
    team: Annotated[
        str | None, typer.Option("--team", help="The team's emd_code (role team only).")
    ] = None,
    password_stdin: PasswordStdin = False,
    home: HomeOption = None,
) -> None:
    """Create an account; the password is asked for (or read with --password-stdin)."""
    from web import store

    if role not in store.ROLES:
        message = f"expected one of {', '.join(store.ROLES)}, got {role!r}"
        raise typer.BadParameter(message, param_hint="--role")
    settings = get_settings(home)
    try:
        store.check_account(username, role, team)
    except ValueError as err:
        hint = "USERNAME" if str(err).startswith("username") else "--team"
        raise typer.BadParameter(str(err), param_hint=hint) from err
    if team:
        try:
            store.check_team(team, settings.teams_file)
        except ValueError as err:
            raise typer.BadParameter(str(err), param_hint="--team") from err
    hashed = hashed_or_exit(read_password(password_stdin))
    with store.connect(store.store_path(settings)) as con:
        try:
            user = store.add_user(con, username, role, team, hashed)
        except ValueError as err:
            raise typer.BadParameter(str(err), param_hint="USERNAME") from err
        logged(con, "user_add", username, f"role {role}" + (f", team {team}" if team else ""))
    typer.echo(f"added {user.username} ({user.role}{' ' + team if team else ''})")


@users_app.command("list")
def users_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    home: HomeOption = None,
) -> None:
    """List the accounts: name, role, team, disabled, created, updated."""
    from web import store

    with store.connect(store.store_path(get_settings(home))) as con:
        users = store.list_users(con)
    if as_json:
        typer.echo(json.dumps(users, ensure_ascii=False, indent=2))
        return
    for u in users:
        state = "disabled" if u["disabled"] else "active"
        typer.echo(f"{u['username']:<24} {u['role']:<8} {u['emd_code'] or '-':<12} {state}")
    typer.echo(f"{len(users)} user(s)")


@users_app.command("disable")
def users_disable(
    username: Annotated[str, typer.Argument(help="Login name.")], home: HomeOption = None
) -> None:
    """Disable an account and end its sessions."""
    from web import store

    with store.connect(store.store_path(get_settings(home))) as con:
        try:
            store.set_disabled(con, username)
        except LookupError as err:
            raise typer.BadParameter(str(err), param_hint="USERNAME") from err
        logged(con, "user_disable", username)
    typer.echo(f"disabled {username}")


@users_app.command("reset")
def users_reset(
    username: Annotated[str, typer.Argument(help="Login name.")],
    password_stdin: PasswordStdin = False,
    home: HomeOption = None,
) -> None:
    """Set a new password (enables the account, ends its sessions)."""
    from web import store

    hashed = hashed_or_exit(read_password(password_stdin))
    with store.connect(store.store_path(get_settings(home))) as con:
        try:
            store.set_password(con, username, hashed)
        except LookupError as err:
            raise typer.BadParameter(str(err), param_hint="USERNAME") from err
        logged(con, "user_reset", username)
    typer.echo(f"password reset for {username}")
