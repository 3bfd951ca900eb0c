"""What the scale benchmark runs: instances (a folder, a database, the environment), `flask` commands and
jobs timed with their peak memory, gunicorn servers, and a monitor of their workers' memory."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent
LOGIN_RATE_LIMIT = "100000/minute"   # every client logs in from 127.0.0.1
JOB_TIMEOUT = 900


@dataclass
class Instance:
    """One app instance: its folder, database and environment, and the edition measured on it."""

    name: str
    folder: Path
    database_url: str
    code: str = ""
    password: str = ""
    seeded_s: float = 0.0
    env: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "config.py").write_text(f'LOGIN_RATE_LIMIT = "{LOGIN_RATE_LIMIT}"\n')
        self.env = {**os.environ, "CONTEST_INSTANCE": str(self.folder), "DATABASE_URL": self.database_url,
                    "SECRET_KEY": f"bench-scale-{self.name}", "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1"}
        for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "STORAGE_DIR", "RATELIMIT_STORAGE_URI"):
            self.env.pop(variable, None)


def timed(command: list[str], env: dict, timeout: float = JOB_TIMEOUT) -> dict:
    """Run a command to its end: wall seconds, peak resident memory (MB, from wait4), exit status, output."""
    with tempfile.TemporaryFile() as out:
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                process.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() - started > timeout:
                process.kill()
                process.wait()
                return {"ok": False, "error": f"timeout (> {timeout:.0f} s)", "seconds": timeout}
            time.sleep(0.05)
        seconds = time.monotonic() - started
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    found = {"ok": process.returncode == 0, "seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "output": text}
    if process.returncode != 0:
        found["error"] = f"exit status {process.returncode}: {_cause(text)}"
    return found


def _cause(output: str) -> str:
    """The line of a failed command's output that names the error (an exception's, or the last one)."""
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    named = [line for line in lines if re.match(r"^([\w.]+(Error|Exception)|Error):", line)]
    return (named or lines or [""])[-1][:160].replace("|", "/")


def flask(instance: Instance, *args: str, timeout: float = JOB_TIMEOUT) -> dict:
    return timed([str(BIN / "flask"), "--app", "contest", *args], instance.env, timeout)


def job(instance: Instance, *args: str, timeout: float = JOB_TIMEOUT) -> dict:
    return timed([sys.executable, str(HERE / "jobs.py"), *args], instance.env, timeout)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(spec: str, env: dict, log: Path, workers: int = 2):
    """gunicorn with gunicorn.conf.py and --no-control-socket, `workers` sync workers, serving `spec` (a module
    of benchmarks/scale); yields (base URL, master pid)."""
    port = _free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--no-control-socket", "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}", "--pythonpath", str(HERE), "--access-logfile", "/dev/null", spec],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn ({spec}) exited:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn ({spec}) did not answer within 120 s") from None
                time.sleep(0.3)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _children(master: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) == master:
                found.append(int(entry.name))
    return found


def _memory_mb(pid: int) -> tuple[float, float]:
    """A process's resident memory now and at its peak (VmRSS, VmHWM), in MB."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        fields = dict(line.split(":", 1) for line in lines if ":" in line)
    except OSError:
        return 0.0, 0.0
    return tuple(int(fields.get(k, "0 kB").split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))  # type: ignore[return-value]


class WorkerMemory:
    """Samples the workers of a gunicorn master twice a second: the largest resident size since mark()."""

    def __init__(self, master: int) -> None:
        self.master, self.peak, self.window = master, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in _children(self.master):
                now, high = _memory_mb(pid)
                self.peak = max(self.peak, high)
                self.window = max(self.window, now)
            self._stop.wait(0.5)

    def mark(self) -> None:
        self.window = 0.0

    def stop(self) -> float:
        self._stop.set()
        self._thread.join(5)
        return self.peak
