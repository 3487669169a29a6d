"""`clinic-voice serve` and `clinic-voice chat`: the local server, and the phone line in a terminal."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time
from pathlib import Path

from ivr.app import ConfigError
from shared.settings import Settings

DEV_BANNER = "DEV MODE: Twilio signatures and Alexa request verification are NOT checked"


def configure_logging(dev: bool) -> None:
    prefix = f"[{DEV_BANNER}] " if dev else ""
    logging.basicConfig(level=logging.INFO, force=True,
                        format=f"%(asctime)s %(levelname)s {prefix}%(name)s: %(message)s")


def reloading_worker_class() -> type:
    """gunicorn's sync worker whose SIGHUP only asks the store to reload (on the next request).

    Set in `init_signals` and ignored once the worker leaves its loop, so no moment of a worker's
    life leaves SIGHUP at its default (exit); the reload itself never runs in signal context, where
    the store's locks could deadlock it."""
    from gunicorn.workers.sync import SyncWorker

    from shared.store import default_store

    class Worker(SyncWorker):
        def init_signals(self) -> None:
            super().init_signals()
            signal.signal(signal.SIGHUP, lambda *_: default_store().ask_reload())
            signal.siginterrupt(signal.SIGHUP, False)

        def run(self) -> None:
            try:
                super().run()
            finally:  # Python's shutdown restores SIGHUP's default (exit) unless it is ignored
                signal.signal(signal.SIGHUP, signal.SIG_IGN)

    return Worker


def serve(args: argparse.Namespace) -> int:
    """One gunicorn server with the phone line (/ivr/) and the Alexa endpoint (/alexa)."""
    from gunicorn.app.base import BaseApplication

    from clinic_voice.web import create_app
    from shared.core.locales import SUPPORTED
    from shared.store import Store, default_store, use_store

    settings = Settings.from_env(dev=args.dev or Settings.from_env().dev)
    settings = settings._replace(state_dir=settings.state_dir or Path("var").resolve())  # shared by the workers
    configure_logging(settings.dev)
    try:
        app = create_app(settings)
        for locale in SUPPORTED:  # refuse to start on broken files in any language (not their last good
            Store().check(locale)  # copies), with file and path
        use_store(Store(state_dir=settings.state_dir)).current()
    except (ConfigError, ValueError) as exc:
        print(f"clinic-voice: not starting: {exc}", file=sys.stderr)
        return 2
    if (refusal := database_refusal(settings)) is not None:
        print(f"clinic-voice: not starting: {refusal}", file=sys.stderr)
        return 2
    if settings.dev:
        print(f"\n*** {DEV_BANNER} ***\n", file=sys.stderr)

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("timeout", 30)
            self.cfg.set("accesslog", None)  # URLs carry conversation state: no access log
            self.cfg.set("worker_class", reloading_worker_class())
            # each new worker: the last good version of every file, and its own daily purge
            self.cfg.set("post_worker_init", lambda worker: (default_store().reload(), start_daily_purge(settings)))

        def load(self):
            return app

    Server().run()
    return 0


def database_refusal(settings: Settings) -> str | None:
    """Why not to start: a DATABASE_URL database that is behind its migrations. An unreachable one is only
    a warning (calls are answered without it; callers are told the clinic's number instead of a promise)."""
    from shared.followup.db import DatabaseBehind, database
    db = database(settings.database_url)
    try:
        db.check_current()
    except DatabaseBehind as exc:
        return str(exc)
    except Exception as exc:
        logging.getLogger(__name__).warning("the database is not reachable (%s): callbacks and review items "
                                            "will not be recorded until it is", type(exc).__name__)
    finally:
        db.engine.dispose()  # no connection of this process may reach the forked workers
    return None


def start_daily_purge(settings: Settings) -> None:
    """Delete what is older than REVIEW_RETENTION_DAYS now and then once a day, in a worker's own thread."""
    import threading

    from shared.followup.db import attempt, database
    from shared.followup.review import purge

    def run() -> None:
        while True:
            attempt("daily purge", purge, database(settings.database_url), settings.review_retention_days)
            time.sleep(24 * 3600)

    threading.Thread(target=run, name="daily-purge", daemon=True).start()


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
