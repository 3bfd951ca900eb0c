"""docs/benchmarks.md from one run of the load benchmark: latencies per request kind, lost bids, the machine."""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime

KINDS = {"page": "pages (GET)", "post": "form posts (log-in, score sheets)", "upload": "uploads (bid + 5 MB PDF)"}
TARGETS = {"page": 300, "upload": 2000}  # p95, milliseconds


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of the values (sorted here)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _row(label: str, records: list[dict]) -> str:
    """One table row: count, errors, p50, p95, p99, max."""
    times = [r["ms"] for r in records]
    errors = sum(not r["ok"] for r in records)
    if not times:
        return f"| {label} | 0 | 0 | – | – | – | – |"
    cells = [f"{percentile(times, p):,.0f}" for p in (50, 95, 99)] + [f"{max(times):,.0f}"]
    return f"| {label} | {len(times)} | {errors} | " + " | ".join(cells) + " |"


def _table(groups: dict[str, list[dict]], head: str) -> list[str]:
    """A Markdown table of latencies, one row per group."""
    lines = [f"| {head} | requests | errors | p50 ms | p95 ms | p99 ms | max ms |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    return lines + [_row(label, records) for label, records in groups.items()]


def verdicts(data: dict, timings: list[dict]) -> list[tuple[str, bool, str]]:
    """(target, met, what was measured) for each of the issue's targets."""
    by_kind = defaultdict(list)
    for r in timings:
        by_kind[r["kind"]].append(r["ms"])
    bids, sheets, storage = data["verify"]["bids"], data["verify"]["sheets"], data["verify"]["storage"]
    errors = sum(not r["ok"] for r in timings)
    lost = bids["lost"] + bids["damaged"] + len(sheets["lost"])
    found = [("no error", errors == 0, f"{errors} failed of {len(timings)} requests"),
             ("no lost bid", lost == 0 and not storage["rows_without_file"],
              f"{bids['intact']} of {bids['confirmed']} confirmed bids intact; {len(sheets['lost'])} lost sheets")]
    for kind, limit in TARGETS.items():
        times = by_kind.get(kind, [])
        p95 = percentile(times, 95) if times else float("nan")
        found.append((f"{KINDS[kind].split(' (')[0]} p95 < {limit:,} ms", bool(times) and p95 < limit, f"{p95:,.0f} ms"))
    return found


def _load_section(data: dict, timings: list[dict]) -> list[str]:
    """Latencies per kind and per request, and how the uploads spread over the run."""
    by_kind = {KINDS[k]: [r for r in timings if r["kind"] == k] for k in KINDS}
    by_name: dict[str, list[dict]] = defaultdict(list)
    for r in sorted(timings, key=lambda r: (r["kind"], r["name"])):
        by_name[r["name"]].append(r)
    uploads = sorted(r["t"] for r in timings if r["kind"] == "upload" and r["ok"])
    per_minute = defaultdict(int)
    for t in uploads:
        per_minute[int(t // 60)] += 1
    spread = ", ".join(f"minute {m + 1}: {n}" for m, n in sorted(per_minute.items()))
    duration = max((r["t"] for r in timings), default=0)
    return [
        "## Latency per request kind", "", *_table(by_kind, "kind"), "",
        f"{len(timings)} requests in {duration:.0f} s ({len(timings) / max(duration, 1):.1f} per second on average). "
        f"Uploads confirmed per minute: {spread or 'none'}.", "",
        "## Latency per request", "", *_table(dict(by_name), "request"), "",
    ]


def _integrity_section(data: dict) -> list[str]:
    """The lost-bid check: confirmed bids and sheets against the database and the files."""
    bids, sheets, storage = data["verify"]["bids"], data["verify"]["sheets"], data["verify"]["storage"]
    lines = [
        "## Lost bids and sheets", "",
        "After the run every bid a team was told was saved (its redirect to `/team/bids/<id>`) is looked up: the "
        "row must exist, belong to that team and need, be submitted, and its stored PDF must have the size and "
        "SHA-256 of the file the client sent (the file on disk is hashed again).", "",
        "| check | result |", "| --- | ---: |",
        f"| bids confirmed to the teams | {bids['confirmed']} |",
        f"| … found intact (row, size, SHA-256 of the stored file) | {bids['intact']} |",
        f"| … lost (no row, other team, not submitted) | {bids['lost']} |",
        f"| … damaged (file missing or different) | {bids['damaged']} |",
        f"| bid rows in the bidding edition | {bids['rows_in_edition']} |",
        f"| … saved although the client got no confirmation | {len(bids['saved_unconfirmed'])} |",
        f"| sheets confirmed as submitted to the judges | {sheets['confirmed']} |",
        f"| … not submitted in the database (lost) | {len(sheets['lost'])} |",
        f"| stored files without a row / rows without a file / half-written files | "
        f"{len(storage['orphan_files'])} / {len(storage['rows_without_file'])} / {len(storage['partial_files'])} |",
    ]
    check = data["check"]
    if check["available"]:
        lines.append(f"| `flask check` after the run | exit status {check['status']} |")
    problems = list(bids["problems"].values()) + sheets["lost"]
    if problems:
        lines += ["", "Problems:", "", *[f"- {p}" for p in problems[:30]]]
    if check.get("available") and check["status"]:
        lines += ["", "```", check["output"], "```"]
    return lines + [""]


def _errors_section(data: dict) -> list[str]:
    """Failed requests grouped by answer, and errors from gunicorn's log."""
    failures = data["outcome"]["failures"]
    lines = ["## Errors", ""]
    if not failures:
        lines.append("No request failed.")
    else:
        counts = defaultdict(int)
        for f in failures:
            counts[(f["name"], f["message"])] += 1
        lines += ["| request | answer | times |", "| --- | --- | ---: |"]
        lines += [f"| {name} | {message.replace('|', '/')} | {n} |" for (name, message), n in sorted(counts.items())]
    if data["gunicorn_errors"]:
        lines += ["", "gunicorn's log:", "", "```", *data["gunicorn_errors"], "```"]
    return lines + [""]


def _setup_section(data: dict) -> list[str]:
    """Machine, database, server, throttling, load and data: what the numbers depend on."""
    m, db, plan, cpu = data["machine"], data["database"], data["plan"], data["cpu"]
    a = data["args"]
    return [
        "## Set-up", "",
        f"- Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB memory, Linux {m['kernel']}, "
        f"Python {m['python']}; load generator, app and database on the same machine, over loopback.",
        f"- PostgreSQL {db['server_version']}: fsync {db['fsync']}, synchronous_commit {db['synchronous_commit']}, "
        f"full_page_writes {db['full_page_writes']}, shared_buffers {db['shared_buffers']} (a throwaway cluster "
        "from tests/postgres.py, restarted with these settings).",
        f"- gunicorn with gunicorn.conf.py as `make serve` runs it: {data['gunicorn_workers']} sync workers "
        "(2 × cores + 1), access log on; uploads stored under STORAGE_DIR on the same disk.",
        f"- Log-in throttling: LOGIN_RATE_LIMIT = \"{data['login_rate_limit']}\" in the instance's config.py, "
        "in-memory limiter storage (no Redis): every client comes from 127.0.0.1. (Only refused log-ins count "
        "against the limit, so the default would not refuse these users either.)",
        f"- Load: locust {a['teams']} teams + {a['judges']} judges for {a['run_time']} s. Each team logs in at a "
        "random moment in the first 75 % of the run, opens the catalogue, its need and the bid form (1–4 s "
        "between steps) and submits its report with its own 5.2 MB PDF (one attempt), then looks at a page every "
        "15–45 s. Each judge works through the assignments on the workbench (sheet, draft with half the "
        "criteria, reload, submit; 3–10 s between steps).",
        f"- Data: {plan['open_needs']} published needs open for bidding (deadline in two hours); an edition in "
        f"online review with {plan['review']['bids']} submitted bids and {plan['review']['assignments']} "
        f"assignments ({plan['review']['short']} bids short of judges), seeded in {data['seed_seconds']} s.",
        f"- CPU seconds used during the run: gunicorn {cpu['gunicorn']}, PostgreSQL {cpu['postgres']}, "
        f"locust {cpu['locust']}, everything else on the machine (other programs, kernel work not charged to a "
        f"process) {cpu['others']} (out of {cpu['wall'] * m['cores']:.0f} core-seconds); load average "
        f"{cpu['load_before'][0]:.2f} before, {cpu['load_after'][0]:.2f} after.",
        "",
    ]


def _costs_section(data: dict) -> list[str]:
    """Time in the workers against time at the client, CPU per request, and the parts timed alone."""
    server = {KINDS[k]: [r for r in data["server_times"] if r["kind"] == k] for k in KINDS}
    served = len(data["server_times"])
    cpu = data["cpu"]
    return ["## Where the time goes", "",
            "Time spent inside a gunicorn worker (its access log, `%(D)s`), for the same requests; what the "
            "client measured beyond this is time spent waiting for a free worker (and on the loopback):", "",
            *_table(server, "kind (time in the worker)"), "",
            f"gunicorn used {cpu['gunicorn']} CPU seconds for {served} requests "
            f"({cpu['gunicorn'] * 1000 / max(served, 1):.0f} ms per request on average), PostgreSQL "
            f"{cpu['postgres']} s, the load generator {cpu['locust']} s.", "",
            "The expensive parts of a request, each timed alone (median) in the benchmark's process just before "
            "the run:", "", "| part | ms |", "| --- | ---: |",
            *[f"| {what} | {ms:,.1f} |" for what, ms in data["costs"]], ""]


def contention(data: dict) -> str:
    """A warning when other programs used a noticeable share of the CPU during the run (else empty)."""
    cpu = data["cpu"]
    share = cpu["others"] / max(cpu["wall"] * data["machine"]["cores"], 1)
    if share < 0.10:
        return ""
    return (f"**The machine was not quiet:** other programs (and kernel work not charged to a process) used "
            f"{share:.0%} of its CPU during the run "
            f"(load average {cpu['load_before'][0]:.1f} before, {cpu['load_after'][0]:.1f} after), so the "
            "latencies below may be higher than on a machine serving only this app.")


def render(data: dict, timings: list[dict]) -> str:
    """The whole report, in Markdown."""
    day = datetime.fromisoformat(data["started_at"]).strftime("%Y-%m-%d %H:%M UTC")
    warning = contention(data)
    lines = ["# Benchmarks", "",
             "Written by `make bench-load` (benchmarks/load/run.py); the list pages' statement counts are "
             "measured by `benchmarks/list_pages.py`.", "",
             f"## Load on loopback — {day}", "",
             "| target | met | measured |", "| --- | :---: | --- |",
             *[f"| {what} | {'yes' if ok else '**no**'} | {measured} |" for what, ok, measured in verdicts(data, timings)],
             "", "Percentiles are nearest-rank over every request of the kind; times are measured by the client "
             "(locust), from sending the request to the last byte of the answer, redirects not followed.", "",
             *([warning, ""] if warning else [])]
    return "\n".join(lines + _load_section(data, timings) + _integrity_section(data) + _errors_section(data)
                     + _costs_section(data) + _setup_section(data))


def summary(data: dict, timings: list[dict]) -> str:
    """The targets, one line each, for the terminal."""
    lines = [f"{'PASS' if ok else 'MISS'}  {what}: {measured}" for what, ok, measured in verdicts(data, timings)]
    return "\n".join(lines + ([contention(data).replace("**", "")] if contention(data) else []))
