"""The demo against a national edition, page by page and job by job. `make bench-scale`:

    .venv/bin/python benchmarks/scale/run.py [--size national|small] [--db both|sqlite|postgresql]
        [--seconds 10] [--threads 4] [--samples 15] [--budget 20] [--seed 1] [--out docs/benchmarks.md]

For each database (SQLite; PostgreSQL on a throwaway cluster, tests/postgres.py) it seeds the demo
(`flask seed-demo`) into one instance and a generated edition (`flask seed-scale`) into another, serves
each in turn with gunicorn (gunicorn.conf.py, --no-control-socket, 2 workers) through counted_wsgi.py
(statements and server time in response headers) beside a bare Flask page (bare.py, same settings), and
measures every page of contest/scale/pages.py logged in through the real log-in form: median and p95
server time, SQL statements per request, throughput with 4 client threads for 10 s as a ratio to the bare
page's (measured just before), the workers' peak memory. Then it times the jobs and commands (score exports,
batch PDF, registration XLSX, standings, stats, check) with their peak memory, and writes its section of
docs/benchmarks.md (section.py). A page that fails or takes over 60 s is reported as such.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE), str(ROOT / "benchmarks" / "load")]

import client  # noqa: E402
import section  # noqa: E402
import servers  # noqa: E402
from machine import facts  # noqa: E402
from servers import Instance, WorkerMemory  # noqa: E402

SIZES = {"national": [],
         "small": ["--needs", "200", "--bids", "2000", "--judges", "60", "--teams", "400", "--contracts", "100"]}
SCALE_CODE, DEMO_CODE = "CIC-NATIONAL", "CIC8-NB"
SLOW_MS = 10_000   # no throughput run for a page slower than this: it would only queue requests
ANONYMOUS_COOKIE = "bench-visit"  # sent with an anonymous page's timed requests (not with its throughput run)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="national")
    parser.add_argument("--db", choices=("both", "sqlite", "postgresql"), default="both")
    parser.add_argument("--seconds", type=float, default=10, help="throughput run per page")
    parser.add_argument("--threads", type=int, default=4, help="client threads of the throughput run")
    parser.add_argument("--samples", type=int, default=15, help="sequential requests per page (at most)")
    parser.add_argument("--budget", type=float, default=20, help="seconds of sequential requests per page (at most)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    return parser.parse_args()


class LoadSampler:
    """The machine's 1-minute load average every 5 s while the benchmark runs."""

    def __init__(self) -> None:
        self.samples = [os.getloadavg()[0]]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(5):
            self.samples.append(os.getloadavg()[0])

    def stop(self) -> dict:
        self._stop.set()
        self.samples.append(os.getloadavg()[0])
        return {"start": self.samples[0], "end": self.samples[-1], "mean": sum(self.samples) / len(self.samples),
                "max": max(self.samples)}


def seed(instance: Instance, command: list[str]) -> None:
    for args in (["init-db"], command):
        done = servers.flask(instance, *args, timeout=3600)
        if not done["ok"]:
            raise SystemExit(f"{instance.name}: flask {' '.join(args)} failed:\n{done['output'][-3000:]}")
    instance.seeded_s = done["seconds"]


def prepare(kind: str, tmp: Path, stack: ExitStack, args) -> list[Instance]:
    """The demo's and the generated edition's instances on a database of `kind`, seeded."""
    from contest.demo import dataset
    from contest.scale.plan import PASSWORD

    if kind == "postgresql":
        from tests.postgres import cluster

        pg = stack.enter_context(cluster())
        urls = {name: pg.create(name) for name in ("demo", "scale")}
    else:
        urls = {name: f"sqlite:///{tmp / kind / name / 'contest.sqlite'}" for name in ("demo", "scale")}
    demo = Instance("demo", tmp / kind / "demo", urls["demo"], DEMO_CODE, dataset.accounts().password)
    scale = Instance(args.size, tmp / kind / "scale", urls["scale"], SCALE_CODE, PASSWORD)
    print(f"[{kind}] seeding the demo …", flush=True)
    seed(demo, ["seed-demo"])
    print(f"[{kind}] seeding the {args.size} edition …", flush=True)
    seed(scale, ["seed-scale", "--code", SCALE_CODE, "--seed", str(args.seed), *SIZES[args.size]])
    return [demo, scale]


def measure_pages(instance: Instance, bare: str, tmp: Path, args) -> dict:
    """Every page of the list on this instance, and the bare page's throughput just before."""
    listed = servers.job(instance, "pages", instance.code, instance.password)
    if not listed["ok"]:
        raise SystemExit(f"{instance.name}: listing the pages failed:\n{listed['output'][-3000:]}")
    pages = json.loads(listed["output"].strip().splitlines()[-1])["pages"]
    found: dict = {"bare": client.throughput(bare, {}, "/", args.threads, args.seconds), "pages": {}}
    env = {**instance.env, "BENCH_COUNT_SQL": "1"}
    with servers.gunicorn("counted_wsgi:app", env, tmp / f"{instance.name}-gunicorn.log") as (base, master):
        memory = WorkerMemory(master)
        sessions: dict[str | None, client.Session] = {}
        for page in pages:
            session = sessions.get(page["username"])
            if session is None:
                session = sessions[page["username"]] = client.Session(base)
                if page["username"]:
                    session.login(page["username"], page["password"])
                else:  # an anonymous page's own cost: a cookie takes the request past the cache in front of Flask
                    session.cookies = {ANONYMOUS_COOKIE: "1"}
            memory.mark()
            result = {"path": page["path"], **client.sample(session, page["path"], args.samples, args.budget)}
            if result["ok"] and result["median_ms"] < SLOW_MS:
                # throughput as visitors come: an anonymous one without cookies (served from memory for a second)
                cookies = {} if page["username"] is None else session.cookies
                speed = client.throughput(base, cookies, page["path"], args.threads, args.seconds)
                result["throughput"] = speed
                result["ratio"] = speed["per_second"] / max(found["bare"]["per_second"], 1e-9)
            result["rss_mb"] = memory.window
            found["pages"][page["key"]] = result
            shown = f"{result['median_ms']:.0f} ms, {result['statements']} SQL" if result["ok"] else result["error"]
            print(f"  {instance.name:9} {page['key']:28} {shown}", flush=True)
        found["peak_rss_mb"] = memory.stop()
    return found


def _detail(output: str) -> str:
    """What a job printed about itself (its last line, JSON): the solve time, a render time, counts."""
    try:
        data = json.loads(output.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return ""
    return ", ".join(f"{key} {value}" for key, value in data.items()) if isinstance(data, dict) else ""


def measure_jobs(instance: Instance, tmp: Path) -> dict:
    """The exports, the batch PDF, the registration workbook, the standings, stats and check."""
    code, out = instance.code, tmp / f"{instance.name}-contracts.pdf"
    runs = {
        "start the app, nothing else (what every job below includes)": lambda: servers.job(instance, "start", code),
        "score export CSV": lambda: servers.job(instance, "score-csv", code),
        "score export XLSX": lambda: servers.job(instance, "score-xlsx", code),
        "registration XLSX": lambda: servers.job(instance, "registration-xlsx", code),
        "standings (edition_standings)": lambda: servers.job(instance, "standings", code),
        "assignment of every bid, 5 judges each (the algorithm)": lambda: servers.job(instance, "assignment", code),
        "batch printing: ZIP of the issued contracts (the job's work)": lambda: servers.job(instance, "contracts-zip",
                                                                                         code),
        "batch PDF, merged (flask print-contracts --out x.pdf)": lambda: servers.flask(
            instance, "print-contracts", "--edition", code, "--out", str(out)),
        "one contract rendered by WeasyPrint (warm)": lambda: servers.job(instance, "contract-render", code),
        "the same contract's HTML printed by Chromium": lambda: servers.job(instance, "contract-chromium", code),
        "figures (flask stats --json)": lambda: servers.flask(instance, "stats", "--edition", code, "--json"),
        "integrity check (flask check)": lambda: servers.flask(instance, "check"),
    }
    found = {}
    for name, run in runs.items():
        result = run()
        result["detail"] = _detail(result.pop("output", ""))
        found[name] = result
        print(f"  {instance.name:9} {name:34} "
              f"{'%.1f s, %.0f MB' % (result['seconds'], result['peak_mb']) if result['ok'] else result['error']}",
              flush=True)
    out.unlink(missing_ok=True)
    return found


def run_database(kind: str, tmp: Path, args) -> dict:
    with ExitStack() as stack:
        instances = prepare(kind, tmp, stack, args)
        bare_env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        found = {"seeded_s": {i.name: i.seeded_s for i in instances}, "instances": {}}
        with servers.gunicorn("bare:app", bare_env, tmp / f"{kind}-bare.log") as (bare, _master):
            for instance in instances:
                print(f"[{kind}] pages of {instance.name} ({instance.code})", flush=True)
                found["instances"][instance.name] = measure_pages(instance, bare, tmp, args)
        for instance in instances:
            print(f"[{kind}] jobs of {instance.name}", flush=True)
            found["instances"][instance.name]["jobs"] = measure_jobs(instance, tmp)
        return found


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))   # unwind: servers stopped, folders removed
    started = datetime.now(timezone.utc)
    load = LoadSampler()
    data = {"started_at": started.isoformat(), "machine": facts(), "size": args.size,
            "sizes": SIZES[args.size], "args": {k: str(v) for k, v in vars(args).items()}, "databases": {}}
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    tmp = Path(tempfile.mkdtemp(prefix="contest-bench-scale-"))
    try:
        for kind in kinds:
            data["databases"][kind] = run_database(kind, tmp, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    data["load"] = load.stop()
    data["minutes"] = (datetime.now(timezone.utc) - started).total_seconds() / 60
    (Path(tempfile.gettempdir()) / "bench-scale.json").write_text(json.dumps(data, indent=1, default=str))
    section.write_section(args.out, section.render(data))
    print(f"Section written to {args.out} (raw figures: {tempfile.gettempdir()}/bench-scale.json)")


if __name__ == "__main__":
    main()
