"""One phone turn in process, p50 / p99, with review writes to SQLite on and off (REVIEW_LOG), in
interleaved rounds over the call mix of bench/run.py (its declined questions are written as review items).

    .venv/bin/python bench/phone_turn_db.py [ROUNDS]      # default 60 rounds of 190 turns per side
"""
from __future__ import annotations

import logging
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

from twilio.request_validator import RequestValidator  # noqa: E402

import run  # noqa: E402  (bench/run.py: the call mix)
from clinic_voice.web import create_app  # noqa: E402
from shared.followup.db import database  # noqa: E402
from shared.followup.review import open_items  # noqa: E402
from shared.settings import Settings  # noqa: E402


def main(rounds: int) -> None:
    logging.disable(logging.WARNING)
    url = f"sqlite:///{tempfile.mkdtemp(prefix='clinic-voice-bench-')}/turn.db"
    database(url).upgrade()
    clients = {on: create_app(Settings(twilio_auth_token=run.TOKEN, public_url="http://localhost",
                                       database_url=url, review_log=on)).test_client() for on in (True, False)}
    turns = []
    for path, body, _ in run.call_mix(0):
        form = dict(parse_qsl(body))
        signature = RequestValidator(run.TOKEN).compute_signature(f"http://localhost{path}", form)
        turns.append((path, form, {"X-Twilio-Signature": signature}))
    times: dict[bool, list[float]] = {True: [], False: []}
    for r in range(rounds + 2):  # the first two rounds warm the caches
        for on in ((True, False) if r % 2 else (False, True)):
            for path, form, headers in turns:
                start = time.perf_counter()
                assert clients[on].post(path, data=form, headers=headers).status_code == 200
                if r >= 2:
                    times[on].append((time.perf_counter() - start) * 1000)
    for on, values in times.items():
        values.sort()
        print(f"review writes {'on ' if on else 'off'}: {len(values)} turns, p50 {values[len(values) // 2]:.3f} ms, "
              f"p99 {values[int(len(values) * 0.99)]:.3f} ms")
    print("review items written:", sum(item.count for item in open_items(database(url))))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
