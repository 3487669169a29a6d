"""Faults: the text-message API down or slow, content files broken or gone while serving, requests during reload."""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import yaml

from shared import store as store_module
from shared.store import Store
from tests.twilio_fake import MessagesAPI


def start_aftercare(caller):
    caller.call()
    caller.press("4")


def test_text_api_slow_times_out_within_3_seconds_and_the_call_goes_on(make_caller, content):
    api = MessagesAPI(delay=10)
    try:
        caller = make_caller(twilio_api_base=api.url)
        start_aftercare(caller)
        started = time.perf_counter()
        heard = caller.press("9")
        elapsed = time.perf_counter() - started
        assert elapsed < 4.5, elapsed
        assert content.phone_says("sms_failed") in heard.text and heard.action
        assert content.aftercare_steps[1] in caller.press("1").text  # and the call carries on
    finally:
        api.close()


def test_text_api_down(make_caller, content):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    caller = make_caller(twilio_api_base=dead)
    start_aftercare(caller)
    assert content.phone_says("sms_failed") in caller.press("9").text


@pytest.fixture
def live_files(live_copies, monkeypatch) -> Path:
    content_file, model_file = live_copies
    monkeypatch.setattr(store_module, "_default", Store(content_file.parent, model_file.parent, interval=0))
    return content_file


@pytest.mark.parametrize("damage", ["corrupt", "delete", "empty", "truncate"])
def test_content_damaged_while_serving_keeps_the_last_good_version(live_files, make_caller, content, damage):
    caller = make_caller()
    caller.call()
    text = live_files.read_text()
    if damage == "delete":
        live_files.unlink()
    else:
        live_files.write_text({"corrupt": "topics: [oops", "empty": "", "truncate": text[: len(text) // 2]}[damage])
    for question, intent in (("does it hurt", "PainIntent"), ("how many sessions do I need", "SessionCountIntent")):
        assert caller.say(question).text.startswith(content.topics[intent].answer)


def test_requests_during_reload(live_files, make_caller, content):
    """Callers keep getting answers while staff save good and broken versions over and over."""
    good = live_files.read_text()
    data = yaml.safe_load(good)
    data["topics"]["pain"]["answer"] = "Edited: a light prickling, thanks to numbing cream."
    edited = yaml.safe_dump(data, sort_keys=False)
    stop, failures = threading.Event(), []

    def staff() -> None:
        versions = [edited, "topics: [broken", good, ""]
        i = 0
        while not stop.is_set():
            live_files.write_text(versions[i % len(versions)])
            i += 1
            time.sleep(0.002)

    def caller_thread() -> None:
        caller = make_caller()
        for _ in range(15):
            caller.call()
            heard = caller.say("does it hurt")
            ok = heard.status == 200 and (heard.text.startswith(content.topics["PainIntent"].answer)
                                          or heard.text.startswith("Edited: a light prickling"))
            if not ok:
                failures.append(heard.text[:100])

    make_caller().call()  # in service before the edits start, as `serve` ensures (it refuses broken content)
    editor = threading.Thread(target=staff)
    editor.start()
    callers = [threading.Thread(target=caller_thread) for _ in range(4)]
    for t in callers:
        t.start()
    for t in callers:
        t.join()
    stop.set()
    editor.join()
    assert failures == []
