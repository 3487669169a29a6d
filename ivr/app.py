"""The phone line's Flask app, made by `create_app()`; servers import `ivr.wsgi:app`."""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ivr.routes import phone
from shared.settings import Settings


class ConfigError(RuntimeError):
    """The server must not start with this configuration; the message says what to set."""


def check_settings(settings: Settings) -> None:
    if not settings.dev and not settings.twilio_auth_token:
        raise ConfigError("TWILIO_AUTH_TOKEN is not set: without it Twilio's signatures can't be checked. "
                          "Set it (Twilio console > Account > API keys & tokens), or run with --dev for local testing.")


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    check_settings(settings)
    app = Flask(__name__)
    app.config.update(SETTINGS=settings, MAX_CONTENT_LENGTH=settings.max_body_bytes)
    if settings.trust_forwarded:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1)  # type: ignore[method-assign]
    app.register_blueprint(phone)
    return app

