"""What the line remembers (issue 13): callbacks and questions it could not answer, in SQLite and in a
real PostgreSQL server (`db_url` runs each test on both; .ci/run starts the server). Whole calls go through
the Flask test client with signed requests; the staff commands run through the CLI's `main`."""
from __future__ import annotations

import json
import logging
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import MetaData, select, text, update

from clinic_voice.cli import main
from shared.followup import db as followup_db
from shared.followup.callbacks import now, request_callback
from shared.followup.db import Database, DatabaseBehind, database
from shared.followup.redact import redact
from shared.followup.review import as_sample, open_items, record_unanswered
from shared.followup.tables import callbacks, review_items

CALLER = "+14155550199"
LASER = "do you do laser hair removal, call me on 555 123 4567"
FOR_THE_DESK = "which of the girls works saturdays, my number is 555 123 4567"  # declined; the desk would know


def cli_json(capsys, *argv: str) -> list[dict]:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def everything_stored(db: Database) -> str:
    """Every row of every table, as one text (to look for what must never be stored)."""
    meta = MetaData()
    meta.reflect(db.engine)
    with db.begin() as conn:
        return repr([list(conn.execute(select(table))) for table in meta.sorted_tables])


# ---------------------------------------------------------------- the database

def test_postgresql_cases_fail_in_ci_without_a_server_and_skip_outside_it(monkeypatch):
    from tests.conftest import postgres_url
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="TEST_DATABASE_URL is not set"):
        postgres_url()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL server"):
        postgres_url()


def test_a_database_url_is_migrated_only_by_db_upgrade(db_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    db = database(db_url)
    with pytest.raises(DatabaseBehind, match="clinic-voice db upgrade"):
        db.check_current()
    assert main(["callbacks", "list"]) == 1 and "run `clinic-voice db upgrade`" in capsys.readouterr().err
    assert main(["db", "upgrade"]) == 0 and "at revision" in capsys.readouterr().out
    db.check_current()
    assert main(["db", "upgrade"]) == 0  # again: nothing to do


def test_serve_refuses_to_start_while_the_database_is_behind(db_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "x")
    assert main(["serve", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert "not starting" in err and "clinic-voice db upgrade" in err


def test_db_upgrade_creates_the_embedded_default(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setattr(followup_db, "DEFAULT_PATH", tmp_path / "var" / "clinic-voice.db")
    monkeypatch.setattr(followup_db, "_databases", {})
    assert main(["db", "upgrade"]) == 0 and f"{tmp_path}/var/clinic-voice.db: at revision" in capsys.readouterr().out
    assert main(["callbacks", "list"]) == 0 and "no open callback requests" in capsys.readouterr().out


def test_serve_brings_the_embedded_default_up_to_date_and_starts_without_a_database(monkeypatch, tmp_path):
    from clinic_voice.serve import database_refusal
    from shared.settings import Settings
    monkeypatch.setattr(followup_db, "DEFAULT_PATH", tmp_path / "var" / "clinic-voice.db")
    monkeypatch.setattr(followup_db, "_databases", {})
    assert database_refusal(Settings()) is None and Database().revision() == followup_db.head()
    assert database_refusal(Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")) is None


def test_the_embedded_default_is_created_on_first_use(tmp_path):
    embedded = Database(None, path=tmp_path / "var" / "clinic-voice.db")
    assert not embedded.path.exists()
    request_callback(embedded, CALLER, None, "en-US", "no_front_desk")
    assert embedded.path.exists() and embedded.revision() == followup_db.head()


def test_the_embedded_default_is_under_var_and_ignored_by_git():
    from shared.followup.db import PROJECT_ROOT
    assert (PROJECT_ROOT / "pyproject.toml").exists()  # DEFAULT_PATH is PROJECT_ROOT / var (conftest moves it)
    assert "var/" in (PROJECT_ROOT / ".gitignore").read_text().split()


def test_an_answered_call_loads_no_database_code():
    """Cold starts stay as they were: SQLAlchemy is imported only when something is written."""
    import subprocess
    import sys
    code = ("import sys\nfrom ivr.app import create_app\nfrom ivr.simulator import Caller, flask_poster\n"
            "from shared.settings import Settings\n"
            "caller = Caller(flask_poster(create_app(Settings(dev=True)).test_client()))\n"
            "caller.call(); caller.say('does it hurt'); caller.press('1')\n"
            "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic', 'psycopg'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip().splitlines()[-1] == "[]", done.stderr[-1000:]


# ---------------------------------------------------------------- callbacks

def test_no_front_desk_ends_with_a_recorded_callback(make_caller, store_db, capsys, content):
    caller = make_caller(front_desk_number=None, database_url=store_db.url)
    caller.form["From"] = CALLER
    caller.call()
    caller.say("does it hurt")
    offer = caller.say("can I talk to someone")
    assert offer.text == content.phone_says("callback_offer") and not offer.hung_up
    assert cli_json(capsys, "callbacks", "list", "--json") == []  # nothing promised, nothing recorded yet
    heard = caller.press("1")
    assert heard.status == 200 and heard.hung_up and heard.text == content.phone_says("callback")
    [request] = cli_json(capsys, "callbacks", "list", "--json")
    assert request["number"] == CALLER and request["topic"] == "PainIntent" and request["locale"] == "en-US"
    assert request["reason"] == "no_front_desk"
    assert main(["callbacks", "done", str(request["id"])]) == 0
    assert cli_json(capsys, "callbacks", "list", "--json") == []
    assert main(["callbacks", "done", str(request["id"])]) == 1


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed"])
def test_an_unanswered_transfer_offers_a_callback(make_caller, store_db, capsys, content, status):
    caller = make_caller(database_url=store_db.url)
    caller.call()
    caller.say("my face won't stop bleeding since the treatment")
    transfer = caller.press("0")
    assert transfer.dialled and transfer.action.startswith("/ivr/dialed")
    assert caller.transfer_ends(status).text == content.phone_says("callback_offer")
    assert caller.press("1").text == content.phone_says("callback")
    [request] = cli_json(capsys, "callbacks", "list", "--json")
    assert request["reason"] == status and request["topic"] == "ComplicationIntent"


def test_an_answered_transfer_just_ends(caller):
    caller.call()
    caller.press("0")
    heard = caller.transfer_ends("completed")
    assert heard.status == 200 and heard.hung_up and heard.says == []


def test_another_number_keyed_in(make_caller, store_db, capsys, content):
    caller = make_caller(front_desk_number=None, database_url=store_db.url)
    caller.call()
    caller.press("0")
    ask = caller.press("2")
    assert ask.text == content.phone_says("callback_enter") and ask.gather["finishOnKey"] == "#"
    again = caller.press("12#")
    assert again.text.startswith(content.phone_says("callback_invalid")) and not again.hung_up
    assert caller.press("4155550142#").text == content.phone_says("callback")
    assert [r["number"] for r in cli_json(capsys, "callbacks", "list", "--json")] == ["4155550142"]


@pytest.mark.parametrize("withheld", ["+266696687", "anonymous", ""])
def test_a_withheld_number_is_asked_for(make_caller, store_db, capsys, content, withheld):
    caller = make_caller(front_desk_number=None, database_url=store_db.url)
    caller.form["From"] = withheld
    caller.call()
    ask = caller.say("operator")
    assert ask.text == content.phone_says("callback_withheld") and ask.gather["input"] == "dtmf"
    assert caller.press("4155550142#").text == content.phone_says("callback")
    assert [r["number"] for r in cli_json(capsys, "callbacks", "list", "--json")] == ["4155550142"]


def test_declining_a_callback_gets_the_clinics_number(make_caller, store_db, capsys, content):
    caller = make_caller(front_desk_number=None, database_url=store_db.url, clinic_hours="every day, 8 to 8")
    caller.call()
    caller.press("0")
    assert caller.silence().text == content.phone_says("callback_offer")  # asked once more
    heard = caller.silence()
    assert heard.hung_up and heard.text == content.phone_says("call_us", phone=content.clinic_phone_spoken,
                                                              hours="every day, 8 to 8")
    assert "call you back" not in heard.text and cli_json(capsys, "callbacks", "list", "--json") == []


@pytest.mark.parametrize("dead", ["postgresql+psycopg://nobody@127.0.0.1:1/none", "sqlite:////proc/no/such/clinic.db"])
def test_database_unreachable_no_promise_and_no_5xx(make_caller, content, caplog, dead):
    caplog.set_level(logging.DEBUG)
    caller = make_caller(front_desk_number=None, database_url=dead, clinic_phone_display="five five five, oh one hundred")
    caller.form["From"] = CALLER
    caller.call()
    declined = caller.say(LASER)  # its review item can't be written either
    assert declined.status == 200 and declined.action
    caller.press("0")
    started = time.monotonic()
    heard = caller.press("1")
    assert time.monotonic() - started < 3
    assert heard.status == 200 and heard.hung_up and "call you back" not in heard.text
    assert heard.text == f"{content.phone_says('callback_failed')} " + content.phone_says(
        "call_us", phone="five five five, oh one hundred", hours=content.clinic_hours)
    assert "callback request not recorded" in caplog.text
    assert "4155550199" not in caplog.text and "laser" not in caplog.text and "4567" not in caplog.text


def test_a_locked_database_is_waited_for_briefly(make_caller, store_db, content):
    """Another writer holds the table: the write gives up within its timeout and the caller hears the number."""
    caller = make_caller(front_desk_number=None, database_url=store_db.url)
    caller.call()
    caller.press("0")
    blocker = Database(store_db.url)
    with blocker.engine.connect() as conn:
        if store_db.url.startswith("sqlite"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.execute(text("LOCK TABLE callbacks IN ACCESS EXCLUSIVE MODE"))
        started = time.monotonic()
        heard = caller.press("1")
        assert time.monotonic() - started < 2
        conn.rollback()
    blocker.engine.dispose()
    assert heard.status == 200 and "call you back" not in heard.text
    assert content.phone_says("callback_failed") in heard.text


# ---------------------------------------------------------------- questions the line could not answer

def test_a_declined_question_is_kept_redacted(make_caller, store_db, capsys):
    caller = make_caller(database_url=store_db.url)
    caller.form["From"] = CALLER
    caller.call()
    caller.say(LASER)
    caller.say("um what about prices")
    items = cli_json(capsys, "review", "list", "--json")
    laser = next(i for i in items if "laser" in i["text"])
    assert laser["text"] == "do you do laser hair removal, call me on [number]"
    assert not re.search(r"\d", laser["text"]) and laser["channel"] == "phone" and laser["locale"] == "en-US"
    assert {"id", "text", "count", "heard_as", "score", "channel", "locale", "last_seen"} <= set(laser)
    stored = everything_stored(store_db)
    assert "4155550199" not in stored and caller.form["CallSid"] not in stored and "4567" not in stored


def test_identical_texts_are_grouped_most_frequent_first(make_caller, store_db, capsys):
    for said in ["how much does it cost", "do you sell gift cards", "how much does it cost"]:
        caller = make_caller(database_url=store_db.url)
        caller.call()
        caller.say(said)
    items = cli_json(capsys, "review", "list", "--json")
    assert [(i["text"], i["count"]) for i in items] == [("how much does it cost", 2), ("do you sell gift cards", 1)]
    assert main(["review", "dismiss", str(items[0]["id"])]) == 0
    assert [i["text"] for i in cli_json(capsys, "review", "list", "--json")] == ["do you sell gift cards"]


def test_no_to_did_you_want_to_know_is_kept(make_caller, store_db, capsys, content):
    from shared.store import current
    from tests.test_phone import UNSURE_CANDIDATES
    unsure = next(t for t in UNSURE_CANDIDATES if current().matcher.match(t).decision == "confirm")
    guess = current().matcher.match(unsure).intent
    caller = make_caller(database_url=store_db.url)
    caller.call()
    assert caller.say(unsure).text.startswith(content.say("confirm", topic=content.phrases["topic_names"][guess]))
    assert caller.press("2").text.startswith(content.say("no_offer"))
    [item] = cli_json(capsys, "review", "list", "--json")
    assert item["text"] == unsure and item["heard_as"] == guess and 0 < item["score"] < 1
    caller.say(unsure)
    caller.say("yes")  # a yes is understood: nothing more to review
    assert [i["count"] for i in cli_json(capsys, "review", "list", "--json")] == [1]


def test_review_log_off_keeps_nothing(make_caller, store_db, capsys):
    caller = make_caller(database_url=store_db.url, review_log=False)
    caller.call()
    caller.say(LASER)
    assert cli_json(capsys, "review", "list", "--json") == []


@pytest.mark.parametrize("env, on, days", [({}, True, 30), ({"REVIEW_LOG": "off", "REVIEW_RETENTION_DAYS": "7"}, False, 7),
                                            ({"REVIEW_LOG": "OFF", "REVIEW_RETENTION_DAYS": "-3"}, False, 30)])
def test_review_settings(env, on, days):
    from shared.settings import Settings
    settings = Settings.from_env(env)
    assert (settings.review_log, settings.review_retention_days) == (on, days)


def test_alexa_fallbacks_are_counted_per_day(store_db, capsys):
    from skill.lambda_function import lambda_handler
    from tests.alexa import envelope, intent_request
    for _ in range(2):
        response = lambda_handler(envelope(intent_request("AMAZON.FallbackIntent")), None)
        assert "outputSpeech" in response["response"]
    lambda_handler(envelope(intent_request("PainIntent")), None)
    capsys.readouterr()
    assert main(["review", "list"]) == 0
    assert f"alexa fallbacks {now().date()} en-US: 2" in capsys.readouterr().out


def test_alexa_answers_its_fallback_with_the_database_down(monkeypatch, caplog):
    from skill.lambda_function import lambda_handler
    from tests.alexa import envelope, intent_request
    caplog.set_level(logging.WARNING)  # (also lifts a logging.disable left by another test)
    monkeypatch.setenv("DATABASE_URL", "sqlite:////proc/no/such/clinic.db")
    response = lambda_handler(envelope(intent_request("AMAZON.FallbackIntent")), None)
    assert "outputSpeech" in response["response"] and "fallback count not recorded" in caplog.text


def test_purge_deletes_what_is_older_than_the_retention(store_db, capsys):
    old, new = (record_unanswered(store_db, said, None, 0.1, "phone", "en-US") for said in ("old one", "new one"))
    done_old, done_new, waiting = (request_callback(store_db, CALLER, None, "en-US", "busy") for _ in range(3))
    long_ago = now() - timedelta(days=31)
    with store_db.begin() as conn:
        conn.execute(update(review_items).where(review_items.c.id == old).values(seen_at=long_ago))
        conn.execute(update(callbacks).where(callbacks.c.id == done_old).values(done_at=long_ago))
        conn.execute(update(callbacks).where(callbacks.c.id == done_new).values(done_at=now()))
    assert main(["review", "purge"]) == 0
    assert "1 review items, 1 callbacks" in capsys.readouterr().out
    assert [i.text for i in open_items(store_db)] == ["new one"]
    with store_db.begin() as conn:
        assert sorted(conn.execute(select(callbacks.c.id)).scalars()) == [done_new, waiting]
    assert main(["review", "purge", "--older-than", "0"]) == 0
    assert open_items(store_db) == []


def test_the_server_purges_by_itself(store_db):
    from clinic_voice.serve import start_daily_purge
    from shared.settings import Settings
    old = record_unanswered(store_db, "old one", None, 0.1, "phone", "en-US")
    with store_db.begin() as conn:
        conn.execute(update(review_items).where(review_items.c.id == old).values(seen_at=now() - timedelta(days=8)))
    start_daily_purge(Settings(database_url=store_db.url, review_retention_days=7))
    deadline = time.monotonic() + 5
    while open_items(store_db) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert open_items(store_db) == []


# ---------------------------------------------------------------- teaching the model

@pytest.fixture
def live_models(live_copies, monkeypatch):
    """The store serves copies of the content and model: teaching never touches the shipped files."""
    content_file, model_file = live_copies
    monkeypatch.setenv("CLINIC_CONTENT_DIR", str(content_file.parent))
    monkeypatch.setenv("CLINIC_MODELS_DIR", str(model_file.parent))
    monkeypatch.setattr("shared.store._default", None)
    return model_file


def test_teach_makes_try_pick_the_intent(live_models, store_db, make_caller, capsys, monkeypatch):
    from interaction_models import model_path
    shipped = model_path("en-US").read_bytes()
    caller = make_caller(database_url=store_db.url)
    caller.call()
    caller.say(FOR_THE_DESK)
    capsys.readouterr()
    assert main(["try", FOR_THE_DESK]) == 0
    assert "(declined: fallback)" in capsys.readouterr().out
    [item] = cli_json(capsys, "review", "list", "--json")
    assert main(["review", "teach", str(item["id"]), "FrontDeskIntent"]) == 0
    assert "'which of the girls works saturdays my number is' to FrontDeskIntent" in capsys.readouterr().out
    model = json.loads(live_models.read_text())
    [desk] = [i for i in model["interactionModel"]["languageModel"]["intents"] if i["name"] == "FrontDeskIntent"]
    assert desk["samples"][-1] == "which of the girls works saturdays my number is"
    assert json.loads((live_models.parent / "en-GB.json").read_text()) == model  # what `models build` derives
    monkeypatch.setattr("shared.store._default", None)  # as a new `clinic-voice try` process would
    assert main(["try", FOR_THE_DESK]) == 0
    assert "intent:   FrontDeskIntent  [answer" in capsys.readouterr().out
    assert open_items(store_db) == [] and model_path("en-US").read_bytes() == shipped


def test_teach_refuses_a_sample_of_another_intent(live_models, store_db, capsys):
    before = live_models.read_bytes()
    item = record_unanswered(store_db, "what is microneedling", None, 0.2, "phone", "en-US")
    assert main(["review", "teach", str(item), "PainIntent"]) == 1
    assert "also a sample of WhatIsIntent" in capsys.readouterr().err
    assert main(["review", "teach", str(item), "NoSuchIntent"]) == 1
    assert "NoSuchIntent is not an intent" in capsys.readouterr().err
    assert live_models.read_bytes() == before and len(open_items(store_db)) == 1


def test_the_running_line_picks_up_a_taught_sample(live_models, store_db, make_caller, content):
    said = "whats the drill once i get there"  # "Did you want to know ...?" (about the aftercare)
    caller = make_caller(database_url=store_db.url)
    caller.call()
    assert caller.say(said).text.startswith(content.say("confirm", topic="").rstrip("?").strip())
    caller.press("2")
    [item] = open_items(store_db)
    assert main(["review", "teach", str(item.id), "ProcedureIntent"]) == 0
    from shared.store import default_store
    default_store().reload()
    assert caller.say(said).text.startswith(content.topics["ProcedureIntent"].answer)


# ---------------------------------------------------------------- redaction

@pytest.mark.parametrize("said, kept", [
    (LASER, "do you do laser hair removal, call me on [number]"),
    ("my number is 4155550199 thanks", "my number is [number] thanks"),
    ("reach me at jane.doe@example.com please", "reach me at [email] please"),
    ("call five five five one two one two", "call [number]"),
    ("can I wear makeup 2 days after", "can I wear makeup 2 days after"),
    ("is 12 weeks too long", "is 12 weeks too long"),
    ("(415) 555-0199", "[number]"),
])
def test_redaction(said, kept):
    assert redact(said) == kept


@pytest.mark.parametrize("stored, sample", [
    ("Do you do laser, call me on [number]", "do you do laser call me on"),
    ("can I wear makeup 2 days after, or 21?", "can i wear makeup two days after or twenty one"),
    ("[email] [number]", ""),
])
def test_a_sample_from_review_text(stored, sample):
    assert as_sample(stored) == sample
