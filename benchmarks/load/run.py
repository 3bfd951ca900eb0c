"""Load on loopback: 200 teams upload 5 MB challenge reports within 5 minutes while 30
judges score, against gunicorn on PostgreSQL; the report goes to docs/benchmarks.md. `make bench-load`:

    .venv/bin/python benchmarks/load/run.py [--teams 200] [--judges 30] [--run-time 300] [--fsync on]
        [--locust .venv-bench/bin/locust] [--out docs/benchmarks.md]

Starts a throwaway PostgreSQL cluster (tests/postgres.py, restarted here with fsync on unless --fsync
off) and gunicorn with gunicorn.conf.py (its CPU-based worker count) on a loopback port, seeds the
benchmark's world (seed.py), runs locust headless (locustfile.py, in its own virtualenv), then checks
every bid and sheet the clients were told was saved (verify.py) and writes the report (report.py).
Everything it started is stopped and its temporary folder removed, also when it fails.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

import costs  # noqa: E402
import machine  # noqa: E402
import report  # noqa: E402
from tests.postgres import _as_postgres, _bin, _free_port, cluster  # noqa: E402

BIN = Path(sys.executable).parent
LOGIN_RATE_LIMIT = "100000/minute"
# gunicorn's access log with the time each request spent in a worker (microseconds): the client's time
# minus this is the time the request waited for a free worker.
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s"
ACCESS_LINE = re.compile(r"^(GET|POST) (\S+) (\d{3}) (\d+)$")
UPLOAD_PATH = re.compile(r"^/team/needs/\d+/bid$")


def restart_cluster(pg, fsync: bool) -> None:
    """tests/postgres.py starts its clusters with fsync off (fast tests); restart this one as chosen."""
    options = (f"-p {pg.port} -k {pg.folder} -c listen_addresses=127.0.0.1 -c max_connections=200 "
               f"-c fsync={'on' if fsync else 'off'}")
    subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", pg.folder, "-w", "-l", f"{pg.folder}/server.log", "-o",
                                 options, "restart"]), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def database_facts(pg, name: str) -> dict:
    """The server's version and durability settings, as psql reports them."""
    found = {}
    for setting in ("server_version", "fsync", "synchronous_commit", "full_page_writes", "shared_buffers"):
        done = subprocess.run([_bin("psql"), "-h", "127.0.0.1", "-p", str(pg.port), "-U", pg.user, "-d", name,
                               "-At", "-c", f"SHOW {setting}"], capture_output=True, text=True, check=True)
        found[setting] = done.stdout.strip()
    return found


def flask(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run a `flask --app contest` command on the benchmark's instance."""
    done = subprocess.run([str(BIN / "flask"), "--app", "contest", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if check and done.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done


@contextmanager
def gunicorn(env: dict, log: Path):
    """gunicorn as `make serve` runs it (gunicorn.conf.py, its worker count) on a free loopback port."""
    port = _free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen([str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--no-control-socket",
                                    "--bind", f"127.0.0.1:{port}", "--access-logformat", ACCESS_FORMAT, "wsgi:app"],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not answer on {base} within 60 s") from None
                time.sleep(0.3)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_times(log: str) -> list[dict]:
    """Each request's kind and time in a gunicorn worker (ms), from the access log; health checks left out."""
    found = []
    for line in log.splitlines():
        match = ACCESS_LINE.match(line.strip())
        if match and match[2] != "/healthz":
            method, path, status, micros = match.groups()
            kind = "page" if method == "GET" else "upload" if UPLOAD_PATH.match(path) else "post"
            found.append({"kind": kind, "ms": int(micros) / 1000, "ok": int(status) < 400})
    return found


def worker_count(master: int) -> int:
    """How many workers the gunicorn master runs."""
    table = machine._processes()
    return sum(1 for parent, _own, _reaped in table.values() if parent == master)


def run_locust(locust: Path, env: dict, base: str, users: int, seconds: int, log: Path) -> dict:
    """locust headless for `seconds` (users finish their current piece of work afterwards); its CPU time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [str(locust), "-f", str(HERE / "locustfile.py"), "--headless", "-u", str(users), "-r", str(users),
               "--run-time", f"{seconds}s", "--stop-timeout", "90", "--host", base, "--only-summary",
               "--loglevel", "WARNING", "--exit-code-on-error", "0"]
    started = time.monotonic()
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=HERE, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            process.wait(timeout=seconds + 240)
        finally:  # overran, or the benchmark itself is being stopped: locust too
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if process.returncode != 0:
        raise SystemExit(f"locust failed ({process.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
    return {"seconds": round(time.monotonic() - started, 1), "cpu": round(cpu, 1)}


def integrity_check(env: dict) -> dict:
    """`flask check` on the database after the load, when this version has it."""
    done = flask(env, "check", check=False)
    if "No such command" in done.stderr:
        return {"available": False}
    return {"available": True, "status": done.returncode, "output": (done.stdout + done.stderr).strip()[-1500:]}


def verify_in_app(env: dict, outcome: dict) -> dict:
    """verify.py inside an app context on the benchmark's database and storage."""
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "CONTEST_INSTANCE", "STORAGE_DIR")})
    from contest import create_app
    from contest.extensions import db

    import verify

    app = create_app()
    with app.app_context():
        found = verify.verify(outcome, "BENCH-OPEN")
        db.session.remove()
        db.engine.dispose()
    return found


def parse_args() -> argparse.Namespace:
    """The command line (sizes, run time, fsync, where locust is, where the report goes)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--judges", type=int, default=30)
    parser.add_argument("--run-time", type=int, default=300, help="seconds of load (the teams start in the first 75%%)")
    parser.add_argument("--fsync", choices=("on", "off"), default="on")
    parser.add_argument("--locust", type=Path, default=ROOT / ".venv-bench" / "bin" / "locust")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    return parser.parse_args()


def main() -> None:
    """Start everything, run the load, check, report, stop everything."""
    args = parse_args()
    # A TERM (make interrupted, a CI timeout) unwinds like an error: servers stopped, temporary files removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not args.locust.exists():
        raise SystemExit(f"{args.locust} not found: `make bench-load` installs locust (requirements-bench.txt)")
    started_at = datetime.now(timezone.utc)
    data: dict = {"args": {k: str(v) for k, v in vars(args).items()}, "started_at": started_at.isoformat(),
                  "machine": machine.facts(), "login_rate_limit": LOGIN_RATE_LIMIT}
    with ExitStack() as stack:
        tmp = Path(tempfile.mkdtemp(prefix="contest-bench-load-"))
        stack.callback(shutil.rmtree, tmp, ignore_errors=True)
        pg = stack.enter_context(cluster())
        restart_cluster(pg, args.fsync == "on")
        url = pg.create("bench")
        data["database"] = database_facts(pg, "bench")
        instance = tmp / "instance"
        instance.mkdir()
        # The benchmark's users all come from 127.0.0.1: a high log-in limit, so throttling never refuses them.
        (instance / "config.py").write_text(f'SECRET_KEY = "bench-load-secret"\nLOGIN_RATE_LIMIT = "{LOGIN_RATE_LIMIT}"\n')
        env = {**os.environ, "DATABASE_URL": url, "CONTEST_INSTANCE": str(instance), "STORAGE_DIR": str(tmp / "storage"),
               "LOG_LEVEL": "warning"}
        for key in ("SECRET_KEY", "RATELIMIT_STORAGE_URI", "WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"):
            env.pop(key, None)
        print(f"PostgreSQL {data['database']['server_version']} (fsync {data['database']['fsync']}); seeding ...",
              flush=True)
        flask(env, "init-db")
        plan_path = tmp / "plan.json"
        seeding = time.monotonic()
        subprocess.run([sys.executable, str(HERE / "seed.py"), str(plan_path), "--teams", str(args.teams),
                        "--judges", str(args.judges)], cwd=ROOT, env=env, check=True)
        data["seed_seconds"] = round(time.monotonic() - seeding, 1)
        data["plan"] = {k: v for k, v in json.loads(plan_path.read_text()).items() if k not in ("teams", "judges", "password")}
        data["costs"] = costs.measure(tmp)
        out = tmp / "out"
        with gunicorn(env, tmp / "gunicorn.log") as (base, master):
            data["gunicorn_workers"] = worker_count(master)
            print(f"gunicorn {data['gunicorn_workers']} workers on {base}; locust: {args.teams} teams, "
                  f"{args.judges} judges, {args.run_time} s ...", flush=True)
            meter = machine.CpuMeter({"gunicorn": master, "postgres": machine.postmaster_pid(pg.folder)})
            meter.start()
            locust_env = {**env, "BENCH_PLAN": str(plan_path), "BENCH_OUT": str(out),
                          "BENCH_STAGGER": str(round(args.run_time * 0.75))}
            data["locust"] = run_locust(args.locust, locust_env, base, args.teams + args.judges, args.run_time,
                                        tmp / "locust.log")
            data["cpu"] = {**meter.stop(), "locust": data["locust"]["cpu"]}
        log = (tmp / "gunicorn.log").read_text(errors="replace")
        data["server_times"] = server_times(log)
        data["gunicorn_errors"] = [line for line in log.splitlines()
                                   if "[ERROR]" in line or "Traceback" in line or "WORKER TIMEOUT" in line][:20]
        outcome = json.loads((out / "outcome.json").read_text())
        data["outcome"] = {"failures": outcome["failures"]}
        data["verify"] = verify_in_app(env, outcome)
        data["check"] = integrity_check(env)
        timings = [json.loads(line) for line in (out / "timings.jsonl").read_text().splitlines()]
    data["finished_at"] = datetime.now(timezone.utc).isoformat()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report.render(data, timings))
    print(report.summary(data, timings))
    print(f"Report written to {args.out}")


if __name__ == "__main__":
    main()
