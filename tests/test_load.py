"""Load: 200 complete calls, 20 at a time, against the real server process on loopback.

Every call is a full signed conversation; every answer must be right, with no error and no 5xx,
and the workers' memory must level off between rounds."""
from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

import pytest

from ivr.simulator import Caller
from tests.conftest import FRONT_DESK, TWILIO_TOKEN
from tests.server import running_server

pytestmark = pytest.mark.load
CALLS, AT_ONCE = 200, 20
MAX_GROWTH_MB = 15.0


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("server")) as started:
        yield started


def http_poster(port: int):
    def post(path: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        conn = HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", path, urlencode(form), {"Content-Type": "application/x-www-form-urlencoded", **headers})
        response = conn.getresponse()
        body = response.read().decode()
        conn.close()
        return response.status, body
    return post


def worker_rss_mb(proc: subprocess.Popen) -> float:
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    total = 0.0
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        total += int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]) / 1024
    return total


def conversation(port: int, public: str, n: int, content) -> list[str]:
    """One whole call; returns what went wrong (empty when every answer was right)."""
    caller = Caller(http_poster(port), public, TWILIO_TOKEN, from_number=f"+1555000{n:04d}")
    problems: list[str] = []

    def expect(heard, wanted: str, what: str) -> None:
        if heard.status != 200 or wanted not in heard.text:
            problems.append(f"call {n} {what}: {heard.status} {heard.text[:80]!r}")

    expect(caller.call(), "Ask me a question", "greeting")
    expect(caller.say("does microneedling hurt"), content.topics["PainIntent"].answer, "pain")
    expect(caller.press("1"), content.topics["DowntimeIntent"].answer, "yes to downtime")
    expect(caller.say("I have a lot of pimples, can I still get microneedling"), "not recommended", "suitability")
    expect(caller.say("tell me the aftercare"), content.aftercare_steps[0], "aftercare")
    expect(caller.press("1"), content.aftercare_steps[1], "next step")
    if n % 5 == 0:
        heard = caller.say("operator")
        if heard.dialled != FRONT_DESK:
            problems.append(f"call {n}: operator not transferred")
    else:
        heard = caller.say("that's all, goodbye")
        if not heard.hung_up:
            problems.append(f"call {n}: goodbye did not hang up")
    return problems


def test_two_hundred_calls_twenty_at_a_time(server, content):
    proc, port, public, log = server
    memory, problems = [], []
    started = time.perf_counter()
    with ThreadPoolExecutor(AT_ONCE) as pool:
        for first in range(0, CALLS, AT_ONCE):
            for found in pool.map(lambda n: conversation(port, public, n, content), range(first, first + AT_ONCE)):
                problems.extend(found)
            memory.append(worker_rss_mb(proc))
    elapsed = time.perf_counter() - started
    assert problems == [], problems[:10]
    growth = max(memory[-3:]) - memory[1]  # after the first round has warmed every cache
    print(f"\n{CALLS} calls in {elapsed:.1f}s; workers' RSS by round (MB): {[round(m, 1) for m in memory]}")
    assert growth < MAX_GROWTH_MB, memory
    assert proc.poll() is None  # the server is still up
    logged = log.read_text()
    assert "Traceback" not in logged and "+1555000" not in logged  # no crash; no caller number in the log
