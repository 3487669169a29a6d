"""The phone line's WSGI app for servers: `ivr.wsgi:app` (gunicorn, serverless-wsgi's `ivr.wsgi.app`).
Made from the environment at import, so only servers import it (tests and tools call create_app)."""
from ivr.app import create_app

app = create_app()
