"""The staff console in a real browser: Playwright for Python driving Debian's Chromium (installed by
.ci/run; nothing is downloaded at run time) against the console served over HTTP on 127.0.0.1.

Screenshots of the main pages go to the test's folder, or to CONSOLE_SCREENSHOTS (the README's and
docs/console.md's come from `CONSOLE_SCREENSHOTS=docs .venv/bin/python -m pytest tests/test_console_browser.py`)."""
from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from shared.followup.callbacks import request_callback
from shared.followup.review import record_unanswered
from tests.conftest import STAFF, STAFF_PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
UNTAUGHT = "is there a gown to change into"  # the line's guess: the benefits answer; it is about the procedure
GUESS = "BenefitsIntent"
SLOW_SAVE_MS = 90_000  # teaching evaluates every labelled question (~10 s alone, far more beside other CI work)
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the store tests cover PostgreSQL


def chromium_path() -> str:
    path = shutil.which(CHROMIUM)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI runs the browser tests, but there is no Chromium at {CHROMIUM} "
                        "(bash .ci/run installs Debian's chromium package)")
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (or set CHROMIUM)")
    return path


@pytest.fixture
def base_url(console_app):
    """The console served over real HTTP in a thread, as `clinic-voice console` would (one process)."""
    server = make_server("127.0.0.1", 0, console_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def page(base_url):
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    executable = chromium_path()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        context = browser.new_context(base_url=base_url, viewport={"width": 1200, "height": 900})
        tab = context.new_page()
        tab.errors = []
        tab.on("pageerror", lambda error: tab.errors.append(str(error)))
        tab.on("console", lambda message: tab.errors.append(message.text)
               if "Content Security Policy" in message.text else None)
        yield tab
        context.close()
        browser.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("CONSOLE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in(page, password: str = STAFF_PASSWORD, go: bool = True) -> None:
    if go:
        page.goto("/login")
    page.fill("input[name=username]", STAFF)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def alerts(page) -> str:
    return " ".join(page.locator("[role=alert], [role=status]").all_inner_texts())


def test_sign_in_wrong_and_right_sign_out_and_no_session_redirected(page, shots):
    page.goto("/answers")
    assert re.search(r"/login\?next=/answers", page.url)  # a request without a session
    sign_in(page, "not the password", go=False)
    assert "Wrong user name or password." in alerts(page) and "/login" in page.url
    page.screenshot(path=str(shots / "console-login.png"))
    sign_in(page, go=False)
    assert page.url.endswith("/answers") and page.locator("h1").inner_text() == "Answers"
    page.click("text=Sign out")
    assert "/login" in page.url
    page.goto("/history")
    assert "/login" in page.url and page.locator("input[name=password]").is_visible()
    assert page.errors == []  # no script error, nothing the Content-Security-Policy had to block


def test_teach_a_review_item_and_see_try_change(page, console_app, shots):
    db = console_app.extensions["console"].db
    for _ in range(3):
        record_unanswered(db, UNTAUGHT, GUESS, 0.36, "phone", "en-US")
    record_unanswered(db, "can I pay in instalments", None, 0.57, "phone", "en-US")
    request_callback(db, "+15555550142", "PainIntent", "en-US", "no_front_desk")
    sign_in(page)
    page.screenshot(path=str(shots / "console-callbacks.png"))
    page.goto(f"/try?text={UNTAUGHT}")
    assert page.locator("#intent").inner_text() == GUESS
    page.click("text=Questions to review")
    page.screenshot(path=str(shots / "console-review.png"))
    row = page.locator("tr", has_text=UNTAUGHT)
    assert row.locator("select option").first.get_attribute("value") == GUESS  # the line's guess first
    row.locator("select").select_option("ProcedureIntent")
    row.locator("text=Teach").click(timeout=SLOW_SAVE_MS)
    assert "The phone line now picks ProcedureIntent" in alerts(page)
    assert page.locator("td.words").all_inner_texts() == ["can I pay in instalments"]
    page.click("text=Try")
    page.fill("input[name=text]", UNTAUGHT)
    page.click("button:text('Try')")
    assert page.locator("#intent").inner_text() == "ProcedureIntent"
    assert "Phone says" in page.content()
    page.screenshot(path=str(shots / "console-try.png"), full_page=True)
    page.click("nav >> text=Phrasings")
    procedure = page.locator("section#ProcedureIntent")
    assert UNTAUGHT.lower() in procedure.inner_text()
    procedure.screenshot(path=str(shots / "console-phrasings.png"))


def test_edit_an_answer_see_the_preview_a_broken_edit_refused_and_undo(page, live_copies, shots):
    content_file = live_copies[0]
    original = content_file.read_text()
    sign_in(page)
    page.click("nav >> text=Answers")
    pain = page.locator("section#pain")
    pain.locator("textarea").fill("Most people feel only a light prickling: a numbing cream goes on first.")
    pain.locator("text=Save").click()
    assert "Saved the pain answer" in alerts(page)
    preview = page.locator("section#pain .preview").inner_text()
    assert "Alexa says <speak>Most people feel only a light prickling" in preview.replace("\n", " ")
    assert "Phone says Most people feel only a light prickling" in preview.replace("\n", " ")
    page.locator("section#pain").screenshot(path=str(shots / "console-answer-preview.png"))
    saved = content_file.read_text()
    pain = page.locator("section#pain")
    pain.locator("textarea").fill("It hurts for {pain_hours} hours.")
    pain.locator("text=Save").click()
    error = page.locator("section#pain .field-error")
    assert "unknown placeholder" in error.inner_text() and "to fix:" in error.inner_text()
    assert content_file.read_text() == saved  # nothing written
    page.locator("section#pain").screenshot(path=str(shots / "console-answer-refused.png"))
    page.click("nav >> text=History")
    change = page.locator("section.card", has_text="edited the pain answer")
    assert "+      Most people feel only a light prickling" in change.locator("pre.diff").inner_text()
    page.screenshot(path=str(shots / "console-history.png"))
    change.locator("text=Undo").click()
    assert "Undid change" in alerts(page) and content_file.read_text() == original
    page.click("nav >> text=Answers")
    assert "light prickling sensation" in page.locator("section#pain .preview").inner_text()
    page.screenshot(path=str(shots / "console-answers.png"))
    page.click("nav >> text=Checks")
    assert "Every file passes." in page.locator("main").inner_text()
    page.screenshot(path=str(shots / "console-checks.png"), full_page=True)
    assert page.errors == []
