"""Fixtures shared by the whole suite: the shipped content, and broken copies of it made per test."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from shared.core.content import Content, content_path, shipped_content


@pytest.fixture(scope="session")
def content() -> Content:
    return shipped_content()


@pytest.fixture(scope="session")
def content_data() -> dict[str, Any]:
    return yaml.safe_load(content_path().read_text(encoding="utf-8"))


@pytest.fixture
def write_content(tmp_path: Path, content_data: dict[str, Any]) -> Callable[[Callable[[dict], None]], Path]:
    """Write a copy of the shipped content after `edit` changed it; returns the file path."""

    def write(edit: Callable[[dict], None], name: str = "en-US.yaml") -> Path:
        data = copy.deepcopy(content_data)
        edit(data)
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    return write


# ---------------------------------------------------------------- the phone line

TWILIO_TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC_URL = "https://clinic.example.org"
FRONT_DESK = "+15555550123"


@pytest.fixture
def phone_settings():
    from shared.settings import Settings
    return Settings(twilio_auth_token=TWILIO_TOKEN, public_url=PUBLIC_URL, front_desk_number=FRONT_DESK,
                    twilio_account_sid="AC" + "a" * 32, twilio_from_number="+15005550006")


@pytest.fixture
def make_caller(phone_settings):
    """caller(**settings changes) -> a Caller on a fresh app (the phone line and /alexa)."""

    from clinic_voice.web import create_app
    from ivr.simulator import Caller, flask_poster

    def make(**changes):
        settings = phone_settings._replace(**changes)
        app = create_app(settings)
        caller = Caller(flask_poster(app.test_client()), PUBLIC_URL, settings.twilio_auth_token)
        caller.app = app  # for tests that need the raw client
        return caller

    return make


@pytest.fixture
def caller(make_caller):
    return make_caller()


@pytest.fixture
def live_copies(tmp_path) -> tuple[Path, Path]:
    """Copies of the shipped content and en-US model in their own folders: (content file, model file)."""
    import shutil

    from interaction_models import model_path
    content_dir, models_dir = tmp_path / "content", tmp_path / "models"
    content_dir.mkdir(), models_dir.mkdir()
    shutil.copy(content_path(), content_dir / "en-US.yaml")
    shutil.copy(model_path("en-US"), models_dir / "en-US.json")
    return content_dir / "en-US.yaml", models_dir / "en-US.json"


# ---------------------------------------------------------------- the database (shared/followup)

@pytest.fixture(scope="session", autouse=True)
def scratch_database(tmp_path_factory):
    """No test writes to the project's var/: the embedded default and DATABASE_URL (read by the CLI and
    by servers the tests start) point at scratch SQLite files."""
    import os

    from shared.followup import db
    folder = tmp_path_factory.mktemp("db")
    db.DEFAULT_PATH, saved = folder / "embedded.db", os.environ.get("DATABASE_URL")
    url = f"sqlite:///{folder / 'scratch.db'}"
    os.environ["DATABASE_URL"] = url
    db.database(url).upgrade()
    yield url
    os.environ.pop("DATABASE_URL") if saved is None else os.environ.update(DATABASE_URL=saved)


def postgres_url() -> str:
    """The PostgreSQL server .ci/run starts; skipped without one, except in CI, where it must be there."""
    import os
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI runs the store's tests on PostgreSQL too, but TEST_DATABASE_URL is not set "
                        "(bash .ci/run starts a throwaway server and sets it)")
        pytest.skip("no PostgreSQL server: TEST_DATABASE_URL is not set (bash .ci/run starts one)")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """An empty database of each kind: a new SQLite file, or a new database on the PostgreSQL server."""
    import uuid

    from sqlalchemy import create_engine, make_url, text

    from shared.followup import db
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
        yield url
        db.database(url).engine.dispose()
        return
    server = postgres_url()
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    yield url
    db.database(url).engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def store_db(db_url, monkeypatch):
    """An upgraded database of each kind, also named by DATABASE_URL for the CLI."""
    from shared.followup.db import database
    monkeypatch.setenv("DATABASE_URL", db_url)
    db = database(db_url)
    db.upgrade()
    return db


# ---------------------------------------------------------------- the staff console (clinic_voice/console)

STAFF, STAFF_PASSWORD = "alice", "correct horse battery"


@pytest.fixture
def console_app(live_copies, store_db, tmp_path):
    """The console over copies of the content and model (so edits never touch the repository's) and a
    database of each kind, with one user, STAFF."""
    from clinic_voice.console import create_app
    from clinic_voice.console.accounts import add_user
    from shared.settings import Settings
    from shared.store import Store
    from shared.core.content import load_content
    from shared.models.build import build, derived_files
    content_file, model_file = live_copies
    build(derived_files(load_content(content_file), model_file.parent))  # as `models build` left them
    add_user(store_db, STAFF, STAFF_PASSWORD)
    return create_app(Settings(state_dir=tmp_path / "state"), Store(content_file.parent, model_file.parent), store_db)
