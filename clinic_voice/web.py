"""The local server's app: the phone line under /ivr/ and the Alexa skill at /alexa, one process."""
from __future__ import annotations

from flask import Flask

from ivr.app import create_app as create_phone_app
from shared.settings import Settings
from skill.web import alexa


def create_app(settings: Settings | None = None) -> Flask:
    app = create_phone_app(settings)
    app.register_blueprint(alexa)
    return app
