"""The scale benchmark's section of docs/benchmarks.md: written between its markers, the rest kept."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

START, END = "<!-- bench-scale:start -->", "<!-- bench-scale:end -->"
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL 15"}


def write_section(path: Path, section: str) -> None:
    """Replace the text between the markers (or append the section with its markers)."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    block = f"{START}\n{section.rstrip()}\n{END}"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def _page(result: dict | None, what: str) -> str:
    """One figure of one page's result, or what went wrong."""
    if result is None:
        return "—"
    if not result["ok"]:
        return f"**{result['error']}**" if what == "median" else "—"
    if what == "median":
        return _ms(result["median_ms"])
    if what == "p95":
        return _ms(result["p95_ms"])
    if what == "sql":
        return "—" if result["statements"] is None else str(result["statements"])
    if what == "ratio":
        return f"{result['ratio']:.3f}" if "ratio" in result else "(slow)"
    return f"{result['rss_mb']:.0f}"


def _pages_table(db: dict, big: str) -> list[str]:
    demo, scale = db["instances"]["demo"], db["instances"][big]
    keys = list(dict.fromkeys([*scale["pages"], *demo["pages"]]))
    lines = [f"| page | SQL demo | SQL {big} | median ms demo | median ms {big} | p95 ms {big} | "
             f"throughput ÷ bare, demo | throughput ÷ bare, {big} | worker RSS MB, {big} |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for key in keys:
        d, s = demo["pages"].get(key), scale["pages"].get(key)
        lines.append(f"| {key} | {_page(d, 'sql')} | {_page(s, 'sql')} | {_page(d, 'median')} | "
                     f"{_page(s, 'median')} | {_page(s, 'p95')} | {_page(d, 'ratio')} | {_page(s, 'ratio')} | "
                     f"{_page(s, 'rss')} |")
    return lines


def _job(result: dict | None, what: str) -> str:
    if result is None:
        return "—"
    if not result["ok"]:
        return f"**{result['error']}**" if what == "seconds" else "—"
    return f"{result['seconds']:.1f}" if what == "seconds" else f"{result['peak_mb']:.0f}"


def _jobs_table(db: dict, big: str) -> list[str]:
    demo, scale = db["instances"]["demo"]["jobs"], db["instances"][big]["jobs"]
    lines = [f"| job | s demo | peak MB demo | s {big} | peak MB {big} | {big}: what it reported |",
             "| --- | ---: | ---: | ---: | ---: | --- |"]
    for name in scale:
        lines.append(f"| {name} | {_job(demo.get(name), 'seconds')} | {_job(demo.get(name), 'mb')} | "
                     f"{_job(scale[name], 'seconds')} | {_job(scale[name], 'mb')} | {scale[name].get('detail', '')} |")
    return lines


def _worst(db: dict, big: str) -> str:
    pages = db["instances"][big]["pages"]
    failed = [k for k, r in pages.items() if not r["ok"]]
    slow = sorted((r["median_ms"], k) for k, r in pages.items() if r["ok"])[::-1][:5]
    parts = [f"{k} ({pages[k]['error']})" for k in failed] + [f"{k} ({_ms(ms)} ms)" for ms, k in slow]
    return "; ".join(parts)


def _growing(db: dict, big: str) -> str:
    """The pages whose statement count differs between the demo and the bigger edition, if any."""
    demo, scale = db["instances"]["demo"]["pages"], db["instances"][big]["pages"]
    changed = [f"{key} ({demo[key]['statements']} → {r['statements']})" for key, r in scale.items()
               if r["ok"] and demo.get(key, {}).get("ok") and demo[key]["statements"] != r["statements"]]
    if not changed:
        return "Every page runs as many SQL statements on both."
    return ("SQL statements per request differ between the demo and the " + big + " edition on: "
            + "; ".join(changed) + " (a paginated list runs one more, its count, once it has more than a page).")


def render(data: dict) -> str:
    """The section, in Markdown."""
    day = datetime.fromisoformat(data["started_at"]).strftime("%Y-%m-%d %H:%M UTC")
    m, load, big = data["machine"], data["load"], data["size"]
    command = " ".join(["flask seed-scale", *data["sizes"]])
    sizes = "" if data["sizes"] else "the national defaults: 2,000 needs, 20,000 bids, 300 judges, 4,000 teams, " \
                                     "1,000 contracts; "
    lines = [f"## Scale: the demo against a {big} edition — {day}", "",
             "Written by `make bench-scale` (benchmarks/scale/run.py; `BENCH_ARGS=\"--size small --db sqlite\"` for a "
             f"quicker run). This run took {data['minutes']:.0f} minutes.", "",
             f"- **Machine:** {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, Python {m['python']}; load "
             f"average {load['start']:.1f} at the start, {load['end']:.1f} at the end, {load['mean']:.1f} on average "
             f"and {load['max']:.1f} at most during the run (sampled every 5 s). **The machine is shared: absolute "
             "times move with whatever else runs on it; the throughput ratios to the bare Flask page, measured in "
             "the same run, are the figures that count.**",
             f"- **Data:** *demo* is `flask seed-demo` (CIC8-NB: 25 needs, 36 bids, 18 contracts); *{big}* is "
             f"`{command}` ({sizes}edition CIC-NATIONAL, stage contracts).",
             "- **Pages:** each page of contest/scale/pages.py (the heaviest object of its kind), logged in through "
             "the log-in form, served by gunicorn (gunicorn.conf.py, 2 sync workers) through "
             "benchmarks/scale/counted_wsgi.py: *median/p95 ms* is the server time (request in, status line "
             f"out: X-Server-Ms) of up to {data['args']['samples']} requests one after another; *SQL* the statements "
             "per request (a `before_cursor_execute` count, X-SQL-Statements); *throughput ÷ bare* the requests "
             f"per second of {data['args']['threads']} client threads for {data['args']['seconds']} s divided by the "
             "same for a bare Flask page (benchmarks/scale/bare.py, same gunicorn settings) measured just before; "
             "*worker RSS* the largest resident size of a worker during the page. A page over 60 s is "
             "**timeout**; “(slow)”: no throughput run, the page takes over 10 s. The public pages' time and SQL "
             "are a render's (their requests carry a cookie, past the cache in front of Flask); their throughput is "
             "an anonymous visitor's, without cookies: the page of the last second, from memory "
             "(contest/web/page_cache.py).",
             "- **Jobs:** each in its own process (wall time, peak resident memory from `wait4`).", ""]
    for kind, db in data["databases"].items():
        seeded = db["seeded_s"]
        bare = {name: inst["bare"]["per_second"] for name, inst in db["instances"].items()}
        lines += [f"### {NAMES[kind]}", "",
                  f"Seeded in {seeded['demo']:.0f} s (demo) and {seeded[big]:.0f} s ({big}). Bare Flask page: "
                  f"{bare['demo']:,.0f} requests/s before the demo's pages, {bare[big]:,.0f} before the {big} "
                  f"edition's. Workers' peak memory: {db['instances']['demo']['peak_rss_mb']:.0f} MB (demo), "
                  f"{db['instances'][big]['peak_rss_mb']:.0f} MB ({big}).", "",
                  f"Worst pages of the {big} edition: {_worst(db, big)}. {_growing(db, big)}", "",
                  *_pages_table(db, big), "", *_jobs_table(db, big), ""]
    return "\n".join(lines)
