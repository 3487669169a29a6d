"""The staff console (`clinic-voice console`): a separate Flask app for clinic staff, never mounted on
the public phone/Alexa server. It works on the same content, models and database as `serve`.

Security: every page but /login needs a signed-in user (Flask-Login); every form carries a CSRF token
(Flask-WTF; a POST without one gets 400); the session cookie is HttpOnly, SameSite=Lax and Secure on
https; every response has a Content-Security-Policy with no inline script allowed.
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, Response, redirect, render_template, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import SQLAlchemyError

from clinic_voice.console.editing import Console
from shared.followup.db import Database, Unavailable, database
from shared.settings import Settings
from shared.store import Store

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
SESSION_HOURS = 8


class HttpsOnlyWhenHttps(SecureCookieSessionInterface):
    """The session cookie is Secure when the request came over https (so plain http on 127.0.0.1 works)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure


def secret_key(state_dir: Path) -> str:
    """CONSOLE_SECRET_KEY, else a random key kept in the state folder (sessions survive a restart)."""
    if key := os.environ.get("CONSOLE_SECRET_KEY"):
        return key
    path = state_dir / "console-secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def create_app(settings: Settings | None = None, store: Store | None = None, db: Database | None = None,
               config: dict | None = None) -> Flask:
    settings = settings or Settings.from_env()
    state_dir = settings.state_dir or Path("var").resolve()
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secret_key(state_dir), SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_NAME="clinic_console", PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
                      WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600, MAX_CONTENT_LENGTH=256 * 1024)
    app.config.update(SETTINGS=settings)  # previews say what the phone would (texting offered or not)
    app.config.update(config or {})
    app.session_interface = HttpsOnlyWhenHttps()
    if settings.trust_forwarded:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    app.extensions["console"] = Console(store or Store(), db or database(settings.database_url))
    CSRFProtect(app)
    _sign_in(app)
    from clinic_voice.console.pages import pages
    app.register_blueprint(pages)

    @app.errorhandler(CSRFError)
    def csrf_refused(error: CSRFError):
        return render_template("error.html", message=f"Refused: {error.description} Reload the page and try again."), 400

    @app.errorhandler(SQLAlchemyError)
    @app.errorhandler(Unavailable)
    def no_database(error: Exception):
        app.logger.warning("database error: %s", type(error).__name__)  # never the statement: it may hold words
        return render_template("error.html", message="The database is not reachable just now; nothing was changed. "
                               "Try again in a minute, or ask whoever runs the server."), 503

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app


def _sign_in(app: Flask) -> None:
    from clinic_voice.console.accounts import get_user
    from clinic_voice.console.pages import StaffUser

    manager = LoginManager(app)
    manager.login_view = "pages.login"
    manager.login_message = ""
    manager.session_protection = "strong"

    @manager.user_loader
    def load(user_id: str):
        user = get_user(app.extensions["console"].db, int(user_id)) if user_id.isdigit() else None
        return StaffUser(user) if user else None

    @manager.unauthorized_handler
    def to_login():
        return redirect(url_for("pages.login", next=request.full_path.rstrip("?") if request.method == "GET" else None))
