"""Faults of a real server process: workers killed and restarted after edits, SIGHUP bursts under load."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from ivr.simulator import Caller
from tests.conftest import TWILIO_TOKEN
from tests.server import free_port, running_server, wait_for_workers, worker_pids
from tests.test_load import http_poster

pytestmark = pytest.mark.load


def set_pain(path: Path, answer: str) -> None:
    data = yaml.safe_load(path.read_text())
    data["topics"]["pain"]["answer"] = answer
    path.write_text(yaml.safe_dump(data, sort_keys=False))


B = "Version B: a light prickling."  # 29 characters


def pain_answers(port: int, public: str, calls: int, at_once: int = 4) -> list[str]:
    """What `calls` callers hear when they ask whether it hurts (first 29 characters)."""
    def one(_: int) -> str:
        caller = Caller(http_poster(port), public, TWILIO_TOKEN)
        caller.call()
        heard = caller.say("does it hurt")
        return heard.text[:29] if heard.status == 200 else f"HTTP {heard.status}"
    with ThreadPoolExecutor(at_once) as pool:
        return list(pool.map(one, range(calls)))


@pytest.fixture
def copies(live_copies, tmp_path) -> dict[str, str]:
    content_file, model_file = live_copies
    return {"CLINIC_CONTENT_DIR": str(content_file.parent), "CLINIC_MODELS_DIR": str(model_file.parent),
            "CLINIC_STATE_DIR": str(tmp_path / "state")}


def test_restarted_workers_serve_the_last_good_version_not_the_start_up_one(tmp_path, live_copies, copies):
    content_file = live_copies[0]
    with running_server(tmp_path, **copies) as (proc, port, public, log):
        set_pain(content_file, "Version B: a light prickling.")
        time.sleep(1.2)
        assert set(pain_answers(port, public, 8)) == {B}
        content_file.write_text("topics: [")  # a broken edit
        time.sleep(1.2)
        assert set(pain_answers(port, public, 8)) == {B}
        old = worker_pids(proc)
        for pid in old:
            os.kill(pid, signal.SIGKILL)
        wait_for_workers(proc, 2, other_than=set(old))
        assert set(pain_answers(port, public, 12)) == {B}
        old = worker_pids(proc)
        os.kill(proc.pid, signal.SIGHUP)  # gunicorn restarts its workers
        wait_for_workers(proc, 2, other_than=set(old))
        assert set(pain_answers(port, public, 12)) == {B}
        assert "Traceback" not in log.read_text()


def test_sighup_bursts_to_master_and_workers_under_load(tmp_path, live_copies, copies, content):
    """Callers keep calling while staff save versions and SIGHUPs hit every process, many at once."""
    content_file = live_copies[0]
    good = content_file.read_text()
    set_pain(content_file, "Version B: a light prickling.")
    edited = content_file.read_text()
    content_file.write_text(good)
    answers = (content.topics["PainIntent"].answer[:40], "Version B: a light prickling."[:40])
    with running_server(tmp_path, **copies) as (proc, port, public, log):
        stop, problems, slowest = threading.Event(), [], [0.0]

        def call_loop() -> None:
            while not stop.is_set():
                caller = Caller(http_poster(port), public, TWILIO_TOKEN)
                for step in (caller.call, lambda: caller.say("does it hurt")):
                    started = time.perf_counter()
                    try:
                        heard = step()
                    except OSError as exc:  # includes the 10 s client timeout
                        problems.append(repr(exc))
                        return
                    slowest[0] = max(slowest[0], time.perf_counter() - started)
                    if heard.status != 200:
                        problems.append(f"HTTP {heard.status}")
                if not heard.text.startswith(answers):
                    problems.append(heard.text[:80])

        def staff_and_signals() -> None:
            for round_ in range(6):
                for i in range(10):  # saves that make every reload do real work
                    content_file.write_text((edited, good)[i % 2])
                    for pid in worker_pids(proc):
                        for _ in range(3):
                            try:
                                os.kill(pid, signal.SIGHUP)
                            except ProcessLookupError:
                                pass
                    time.sleep(0.03)
                if round_ % 3 == 0:
                    for _ in range(3):
                        os.kill(proc.pid, signal.SIGHUP)
                time.sleep(0.3)

        callers = [threading.Thread(target=call_loop) for _ in range(4)]
        for t in callers:
            t.start()
        staff_and_signals()
        time.sleep(1.5)
        stop.set()
        for t in callers:
            t.join(timeout=30)
        assert problems == [], (problems[:5], log.read_text()[-3000:])
        assert slowest[0] < 3.0, slowest[0]
        assert proc.poll() is None
        logged = log.read_text()
        for bad in ("Traceback", "WORKER TIMEOUT", "was sent SIGHUP", "RecursionError"):
            assert bad not in logged, logged[-3000:]


def test_server_refuses_to_start_on_a_broken_file_even_with_a_last_good_copy(tmp_path, live_copies, copies):
    kept = Path(copies["CLINIC_STATE_DIR"]) / "last-good" / "content" / "en-US.yaml"
    kept.parent.mkdir(parents=True)
    kept.write_text(live_copies[0].read_text())
    live_copies[0].write_text("topics: [")
    exe = Path(sys.executable).parent / "clinic-voice"
    done = subprocess.run([str(exe), "serve", "--port", str(free_port())], env={**os.environ, **copies,
                          "TWILIO_AUTH_TOKEN": TWILIO_TOKEN}, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and f"{live_copies[0]}:2:1: not valid YAML" in done.stderr


def test_replayed_text_request_sends_one_text_across_workers(tmp_path, content):
    from tests.twilio_fake import MessagesAPI
    api = MessagesAPI(delay=0.3)  # slow enough that replays reach both workers while the first is sending
    env = {"TWILIO_ACCOUNT_SID": "AC" + "a" * 32, "TWILIO_FROM_NUMBER": "+15005550006",
           "TWILIO_API_BASE": api.url, "CLINIC_STATE_DIR": str(tmp_path / "state")}
    try:
        with running_server(tmp_path, **env) as (proc, port, public, log):
            caller = Caller(http_poster(port), public, TWILIO_TOKEN)
            caller.call()
            caller.press("4")
            path = caller._next()
            with ThreadPoolExecutor(8) as pool:
                heard = list(pool.map(lambda _: caller.request(path, {"Digits": "9"}), range(8)))
            assert all(h.status == 200 for h in heard)
            assert sum(content.phone_says("sms_sent") in h.text for h in heard) == 1
            assert len(api.received) == 1
    finally:
        api.close()
