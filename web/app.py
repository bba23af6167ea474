"""The `sagak web` application: Starlette, Jinja2 templates, signed cookie sessions."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from sagak.privacy import secret_from
from sagak.settings import Settings
from web import routes_admin, routes_analyst, routes_auth, routes_review, routes_team, store
from web.context import TEMPLATES, LoginRequired, Web, current_user, lang, render
from web.guard import LoginLimiter, SecurityHeaders
from web.i18n import t
from web.nights import Nights

LOGGER = logging.getLogger("sagak.web")
SECRET_ENV = "SAGAK_WEB_SECRET"
SESSION_HOURS = 8


@dataclass(frozen=True)
class WebConfig:
    """How the application runs: cookies only over HTTPS behind the city's proxy, limits."""

    secure_cookies: bool = False
    session_hours: int = SESSION_HOURS
    login_attempts: int = 5
    login_window_seconds: float = 300.0


def web_secret(settings: Settings) -> str:
    """The cookie-signing secret: $SAGAK_WEB_SECRET, else SAGAK_HOME/secrets/web_key (0600)."""
    return secret_from(SECRET_ENV, settings.secrets / "web_key")


async def login_required(request: Request, exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={target}" if target != "/" else "/login", 303)


def error_page(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 500:
        LOGGER.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    detail = exc.detail if isinstance(exc, HTTPException) and status == 400 else None
    if isinstance(exc, HTTPException) and exc.detail == "no_night":
        detail = t(lang(request), "no_night")
    user = current_user(request) if status != 500 else None
    return render(request, "error.html", user, status_code=status, status=status, detail=detail)


def create_app(settings: Settings, config: WebConfig | None = None) -> Starlette:
    """The application for one SAGAK_HOME."""
    config = config or WebConfig()
    with store.connect(store.store_path(settings)):
        pass  # creates the account store and its append-only log before the first request
    middleware = [
        Middleware(SecurityHeaders, hsts=config.secure_cookies),
        Middleware(
            SessionMiddleware,
            secret_key=web_secret(settings),
            session_cookie="sagak_session",
            max_age=config.session_hours * 3600,
            same_site="strict",
            https_only=config.secure_cookies,
        ),
    ]
    routes = [
        *routes_auth.ROUTES,
        *routes_analyst.ROUTES,
        *routes_review.ROUTES,
        *routes_team.ROUTES,
        *routes_admin.ROUTES,
        Mount("/static", StaticFiles(directory=Path(__file__).with_name("static")), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={
            LoginRequired: login_required,
            HTTPException: error_page,
            Exception: error_page,
        },
    )
    app.state.web = Web(
        settings,
        Nights(settings.outreach),
        store.store_path(settings),
        LoginLimiter(config.login_attempts, config.login_window_seconds),
        Jinja2Templates(directory=TEMPLATES),
    )
    return app


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8000,
    config: WebConfig | None = None,
    forwarded_allow_ips: str = "127.0.0.1",
) -> None:
    """Run the application with uvicorn until interrupted (trusts X-Forwarded-* from the proxy)."""
    import uvicorn

    uvicorn.run(
        create_app(settings, config),
        host=host,
        port=port,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        server_header=False,
        log_level="info",
    )
