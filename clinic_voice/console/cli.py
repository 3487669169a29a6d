"""`clinic-voice users add|list|remove` and `clinic-voice console`."""
from __future__ import annotations

import argparse
import getpass
import sys

from clinic_voice.followup_cli import _ready, run_safely


def users_add(args: argparse.Namespace) -> int:
    from clinic_voice.console.accounts import AccountError, add_user, check_name
    from clinic_voice.console.audit import record
    try:
        check_name(args.name)
        password = _password(args.password_stdin)
        db = _ready()
        add_user(db, args.name, password)
    except AccountError as exc:
        print(f"clinic-voice: refused: {exc}", file=sys.stderr)
        return 1
    record(db, "(command line)", "user", f"user:{args.name}", f"added user {args.name}")
    print(f"added user {args.name}: sign in with `clinic-voice console`")
    return 0


def _password(from_stdin: bool) -> str:
    from clinic_voice.console.accounts import AccountError
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("password: ")
    if getpass.getpass("again: ") != password:
        raise AccountError("the two passwords differ")
    return password


def users_list(args: argparse.Namespace) -> int:
    from clinic_voice.console.accounts import list_users
    from shared.followup.callbacks import now
    found = list_users(_ready())
    for user in found:
        locked = f"  locked until {user.locked_until:%H:%M} UTC" if user.locked_until and user.locked_until > now() else ""
        print(f"{user.name}{locked}")
    if not found:
        print("no users: add one with `clinic-voice users add NAME`")
    return 0


def users_remove(args: argparse.Namespace) -> int:
    from clinic_voice.console.accounts import remove_user
    from clinic_voice.console.audit import record
    db = _ready()
    if not remove_user(db, args.name):
        print(f"clinic-voice: no user {args.name}", file=sys.stderr)
        return 1
    record(db, "(command line)", "user", f"user:{args.name}", f"removed user {args.name}")
    print(f"removed user {args.name}")
    return 0


def console(args: argparse.Namespace) -> int:
    """The console under gunicorn: one worker (its changes are serialised in-process), a few threads."""
    from gunicorn.app.base import BaseApplication

    from clinic_voice.console import create_app
    from clinic_voice.serve import configure_logging
    from shared.store import Store

    configure_logging(False)
    Store().check()  # refuse to start on a broken file, with file and path
    _ready()         # and on a database behind its migrations
    app = create_app()

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in {"bind": f"{args.host}:{args.port}", "workers": 1, "threads": 4,
                               "worker_class": "gthread", "timeout": 60, "accesslog": None}.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    print(f"staff console on http://{args.host}:{args.port}/ (sign in with a user from `clinic-voice users add`)")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("warning: reachable beyond this machine: put it behind https (and set TRUST_X_FORWARDED=1 there), "
              "on the clinic's network only", file=sys.stderr)
    Server().run()
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    users = commands.add_parser("users", help="who may sign in to the staff console")
    sub = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = sub.add_parser("add", help="add a user (asks for the password)", description="Add user NAME.")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    add.set_defaults(run=run_safely(users_add))
    sub.add_parser("list", help="the users", description="List the users.").set_defaults(run=run_safely(users_list))
    remove = sub.add_parser("remove", help="remove a user", description="Remove user NAME.")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(run=run_safely(users_remove))
    run = commands.add_parser("console", help="serve the staff console (staff only; not the public server)",
                              description="Callbacks, questions to review, answers, phrasings, try, checks, history.")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8001)
    run.set_defaults(run=run_safely(console))
