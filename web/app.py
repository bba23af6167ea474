"""The `sagak web` application: Starlette, Jinja2 templates, server-side sessions behind a
signed cookie."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from sagak.privacy import secret_from
from sagak.settings import Settings
from web import routes_admin, routes_analyst, routes_auth, routes_review, routes_team, store
from web.context import TEMPLATES, LoginRequired, Web, current_user, lang, render
from web.guard import LoginLimiter, Refusals, SecurityHeaders
from web.i18n import t
from web.nights import Nights
from web.sessions import SessionPolicy

LOGGER = logging.getLogger("sagak.web")
SECRET_ENV = "SAGAK_WEB_SECRET"


@dataclass(frozen=True)
class WebConfig:
    """How the application runs: cookies only over HTTPS behind the city's proxy, how long a
    session lives, the login limits, and the proxies whose X-Forwarded-For/-Proto count
    (comma-separated addresses or networks as uvicorn takes them; "" trusts none)."""

    secure_cookies: bool = False
    session_hours: float = 12.0
    idle_minutes: float = 30.0
    login_attempts: int = 5
    login_window_seconds: float = 300.0
    address_attempts: int = 30
    forwarded_allow_ips: str = "127.0.0.1"

    def sessions(self) -> SessionPolicy:
        return SessionPolicy(
            timedelta(minutes=self.idle_minutes), timedelta(hours=self.session_hours)
        )


class SagakWeb(Starlette):
    """Starlette with the security headers outside its server-error handler: a 500 has them too."""

    def __init__(self, *args, hsts: bool = False, **kwargs) -> None:
        self.hsts = hsts
        super().__init__(*args, **kwargs)

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack(), hsts=self.hsts)


def web_secret(settings: Settings) -> str:
    """The cookie-signing secret: $SAGAK_WEB_SECRET, else SAGAK_HOME/secrets/web_key (0600)."""
    return secret_from(SECRET_ENV, settings.web_key)


async def login_required(request: Request, exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(
        f"/login?next={quote(target, safe='/')}" if target != "/" else "/login", 303
    )


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
        Middleware(
            SessionMiddleware,
            secret_key=web_secret(settings),
            session_cookie="sagak_session",
            max_age=int(config.session_hours * 3600),
            same_site="strict",
            https_only=config.secure_cookies,
        ),
    ]
    if config.forwarded_allow_ips.strip():
        trusted = config.forwarded_allow_ips
        middleware.insert(0, Middleware(ProxyHeadersMiddleware, trusted_hosts=trusted))
    routes = [
        *routes_auth.ROUTES,
        *routes_analyst.ROUTES,
        *routes_review.ROUTES,
        *routes_team.ROUTES,
        *routes_admin.ROUTES,
        Mount("/static", StaticFiles(directory=Path(__file__).with_name("static")), name="static"),
    ]
    app = SagakWeb(
        hsts=config.secure_cookies,
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
        LoginLimiter(config.login_attempts, config.login_window_seconds, config.address_attempts),
        Jinja2Templates(directory=TEMPLATES),
        Refusals(),
        config.sessions(),
    )
    return app


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8000,
    config: WebConfig | None = None,
) -> None:
    """Run the application with uvicorn until interrupted.

    uvicorn's own proxy-header handling is off: the application reads X-Forwarded-* itself,
    from `config.forwarded_allow_ips` only, whatever server or environment runs it.
    """
    import uvicorn

    uvicorn.run(
        create_app(settings, config),
        host=host,
        port=port,
        proxy_headers=False,
        server_header=False,
        log_level="info",
    )
