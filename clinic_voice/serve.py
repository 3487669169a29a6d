"""`clinic-voice serve` and `clinic-voice chat`: the local server, and the phone line in a terminal."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys

from ivr.app import ConfigError
from shared.settings import Settings

DEV_BANNER = "DEV MODE: Twilio signatures and Alexa request verification are NOT checked"


def configure_logging(dev: bool) -> None:
    prefix = f"[{DEV_BANNER}] " if dev else ""
    logging.basicConfig(level=logging.INFO, force=True,
                        format=f"%(asctime)s %(levelname)s {prefix}%(name)s: %(message)s")


def serve(args: argparse.Namespace) -> int:
    """One gunicorn server with the phone line (/ivr/) and the Alexa endpoint (/alexa)."""
    from gunicorn.app.base import BaseApplication

    from clinic_voice.web import create_app
    from shared.locales import SUPPORTED
    from shared.store import default_store

    settings = Settings.from_env(dev=args.dev or Settings.from_env().dev)
    configure_logging(settings.dev)
    try:
        app = create_app(settings)
        for locale in SUPPORTED:  # refuse to start on broken content (any language), with file and path
            default_store().current(locale)
    except (ConfigError, ValueError) as exc:
        print(f"clinic-voice: not starting: {exc}", file=sys.stderr)
        return 2
    if settings.dev:
        print(f"\n*** {DEV_BANNER} ***\n", file=sys.stderr)

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("timeout", 30)
            self.cfg.set("accesslog", None)  # URLs carry conversation state: no access log
            self.cfg.set("post_worker_init", lambda worker: signal.signal(signal.SIGHUP, lambda *_: default_store().reload()))

        def load(self):
            return app

    Server().run()
    return 0


def chat(args: argparse.Namespace) -> int:
    """Talk to the phone line in the terminal: type what a caller says, or a digit; empty line = silence."""
    from clinic_voice.web import create_app
    from ivr.simulator import Caller, flask_poster

    app = create_app(Settings.from_env(dev=True))
    logging.disable(logging.WARNING)
    caller = Caller(flask_poster(app.test_client()))
    heard = caller.call()
    while True:
        print(f"\nline: {heard.text}")
        if heard.dialled or heard.hung_up:
            print(f"[call {'transferred to ' + heard.dialled if heard.dialled else 'ended'}]")
            return 0
        try:
            said = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        heard = caller.press(said) if said.isdigit() else caller.say(said) if said else caller.silence()


def add_commands(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser("serve", help="run the local server (phone line and Alexa endpoint)",
                              description="Serve /ivr/ (Twilio voice webhook) and /alexa with gunicorn.")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    run.add_argument("--workers", type=int, default=2)
    run.add_argument("--dev", action="store_true", help="turn signature checks off (local testing only; said loudly)")
    run.set_defaults(run=serve)
    talk = commands.add_parser("chat", help="talk to the phone line in the terminal",
                               description="Type what a caller would say, or a digit; an empty line is silence.")
    talk.set_defaults(run=chat)
