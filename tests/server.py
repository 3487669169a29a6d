"""A real `clinic-voice serve` process for tests: started on a free port, its workers, its log."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tests.conftest import FRONT_DESK, TWILIO_TOKEN


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_pids(proc: subprocess.Popen) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]


def wait_for_workers(proc: subprocess.Popen, count: int, other_than: set[int] = frozenset(),
                     timeout: float = 20) -> list[int]:
    """The master's workers once there are `count` of them, none in `other_than`, each serving."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        pids = worker_pids(proc)
        if len(pids) == count and not set(pids) & set(other_than):
            time.sleep(0.5)  # let them finish booting
            return pids
        time.sleep(0.05)
    raise AssertionError(f"workers did not come up: {worker_pids(proc)}")


@contextmanager
def running_server(tmp_path: Path, workers: int = 2, **env: str) -> Iterator[tuple[subprocess.Popen, int, str, Path]]:
    """(process, port, public URL, log file) of a server signing for its loopback URL."""
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "server.log"
    exe = Path(sys.executable).parent / "clinic-voice"
    full_env = {**os.environ, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "CLINIC_PUBLIC_URL": public,
                "FRONT_DESK_NUMBER": FRONT_DESK, **env}
    with log_path.open("wb") as log:
        proc = subprocess.Popen([str(exe), "serve", "--port", str(port), "--workers", str(workers)], env=full_env,
                                stdout=subprocess.DEVNULL, stderr=log, start_new_session=True, cwd=tmp_path)
    try:
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise AssertionError(f"server did not start: {log_path.read_text()[-2000:]}")
                time.sleep(0.1)
        wait_for_workers(proc, workers)
        yield proc, port, public, log_path
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
