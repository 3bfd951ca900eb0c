"""gunicorn as `make serve` runs it (gunicorn.conf.py, --no-control-socket), for the tests that need real servers."""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.postgres import _free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def wait_until(check, what: str, seconds: float = 60):
    """check()'s first truthy answer, polled until the deadline (an OSError counts as not yet)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            found = check()
        except OSError:
            found = None
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {seconds} s")


@contextmanager
def gunicorn(env: dict, log: Path, *, port: int | None = None, workers: int = 1, threads: int = 1):
    """A gunicorn server on a loopback port, answering /healthz; yields (process, base URL); stopped at the end."""
    port = port or _free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--no-control-socket", "--workers", str(workers),
             "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        def up() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {log.read_text(errors='replace')[-3000:]}")
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                return response.status == 200
        wait_until(up, f"gunicorn on {base}")
        yield process, base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
