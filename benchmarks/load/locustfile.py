"""The load scenario: teams submitting challenge reports with 5 MB PDFs while judges score.

Run by benchmarks/load/run.py (`make bench-load`) in the benchmark's own virtualenv; it never imports the
app. The plan written by seed.py names the accounts (BENCH_PLAN); everything a client was told is kept
in BENCH_OUT: every request's kind, name, time and outcome (timings.jsonl), and the bids and sheets the
server confirmed (outcome.json), which run.py then checks against the database and the stored files.

A team logs in at a random moment in the first BENCH_STAGGER seconds, opens the catalogue, the need and
the form, submits its report with its own 5 MB PDF, opens its bid, then looks at its pages now and then.
A judge logs in, then works through the assignments on the workbench: opens a sheet, saves a draft,
reloads, submits; then looks at the workbench now and then.
"""
from __future__ import annotations

import html
import json
import os
import random
import re
import time
import urllib.parse
from pathlib import Path

import gevent
from locust import FastHttpUser, between, events, task

import big_pdf

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text())
OUT = Path(os.environ["BENCH_OUT"])
STAGGER = float(os.environ.get("BENCH_STAGGER", "225"))
TEMPLATE = big_pdf.build()
TEAM_THINK, JUDGE_THINK = (1.0, 4.0), (3.0, 10.0)  # seconds between the steps of one piece of work

RECORDS: list[dict] = []  # one per request
BIDS: list[dict] = []     # bids the server confirmed (redirect to /team/bids/<id>)
SHEETS: list[dict] = []   # sheets the server confirmed as submitted
FAILURES: list[dict] = []
STARTED = time.time()

INPUT = re.compile(r"<input\b[^>]*>", re.I)
ATTR = re.compile(r'([\w-]+)="([^"]*)"')
BID_URL = re.compile(r"/team/bids/(\d+)$")
WORKBENCH_ROW = re.compile(r'data-sheet="(\w+)".*?href="/judge/online/(\d+)"', re.S)
ALERT = re.compile(r'class="[^"]*(?:alert|invalid-feedback)[^"]*"[^>]*>\s*([^<]{1,200})')
ASSIGNMENTS = {team["username"]: team["need_id"] for team in PLAN["teams"]}
TEAMS = iter(PLAN["teams"])
JUDGES = iter(PLAN["judges"])


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **_kwargs):
    """Keep every request's kind, name, time and outcome (locust's own percentiles are rounded)."""
    RECORDS.append({"kind": name.split(":", 1)[0], "name": name, "ms": round(response_time, 2),
                    "ok": exception is None, "t": round(time.time() - STARTED, 2)})


@events.quitting.add_listener
def _save(environment, **_kwargs):
    """Write what the clients saw for run.py when locust quits."""
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "timings.jsonl", "w") as out:
        out.writelines(json.dumps(r) + "\n" for r in RECORDS)
    (OUT / "outcome.json").write_text(json.dumps({"bids": BIDS, "sheets": SHEETS, "failures": FAILURES},
                                                 ensure_ascii=False, indent=1))


def hidden_fields(page: str) -> dict:
    """The hidden inputs of a page's form (the CSRF token, a sheet's version, any replay token)."""
    found = {}
    for tag in INPUT.findall(page):
        attrs = dict(ATTR.findall(tag))
        if attrs.get("type") == "hidden" and "name" in attrs:
            found[attrs["name"]] = html.unescape(attrs.get("value", ""))
    return found


def multipart(fields: dict, file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends a form with a file; the body and its content type."""
    boundary = f"----bench{random.getrandbits(64):016x}"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _why(response) -> str:
    """The status, where a redirect went, and the page's alerts (the flashed reason of a refusal)."""
    text = (response.text or "") if response.content else ""
    shown = "; ".join(m.strip() for m in ALERT.findall(text))[:300]
    where = (response.headers or {}).get("Location", "")
    return f"HTTP {response.status_code} {'to ' + where if where else ''} {shown}".strip()


class Browser(FastHttpUser):
    """What teams and judges share: checked requests, log-in, think time."""

    abstract = True
    network_timeout = connection_timeout = 120.0
    username = ""

    def think(self, span: tuple[float, float]) -> None:
        """Pause like a person between two steps."""
        gevent.sleep(self.rng.uniform(*span))

    def page(self, url: str, name: str, expect: str | None = None) -> str | None:
        """GET a page; a failure unless it is 200 (and holds `expect`)."""
        with self.client.get(url, name=f"page: {name}", catch_response=True) as response:
            body = response.text or ""
            if response.status_code != 200 or (expect and expect not in body):
                return self.failed(response, name)
            response.success()
            return body

    def post(self, url: str, name: str, kind: str, target: re.Pattern | None = None, **kwargs):
        """POST a form; a failure unless it redirects (to `target`). Returns the redirect's path."""
        with self.client.post(url, name=f"{kind}: {name}", allow_redirects=False, catch_response=True,
                              **kwargs) as response:
            where = urllib.parse.urlsplit((response.headers or {}).get("Location", "")).path
            if response.status_code not in (302, 303) or (target and not target.search(where)):
                return self.failed(response, name)
            response.success()
            return where

    def failed(self, response, name: str) -> None:
        """Count the request as an error, with why (status, redirect, the page's alert)."""
        message = _why(response) if response.status_code else f"no answer: {response.error!r}"
        FAILURES.append({"user": self.username, "name": name, "message": message,
                         "t": round(time.time() - STARTED, 2)})
        response.failure(message)
        return None

    def log_in(self, home: str) -> bool:
        """Open the log-in form, post the credentials, follow the redirect to `home`."""
        form = self.page("/auth/login", "log-in form")
        if form is None:
            return False
        data = {**hidden_fields(form), "username": self.username, "password": PLAN["password"]}
        where = self.post("/auth/login", "log in", "post", data=urllib.parse.urlencode(data),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
        return where is not None and self.page(where, home) is not None


class Team(Browser):
    """One team: log in, submit one challenge report with a 5 MB PDF, then look at its pages now and then."""

    fixed_count = len(PLAN["teams"])
    wait_time = between(15, 45)

    def on_start(self) -> None:
        """Take the next team account, wait for its random moment in the run, log in."""
        self.username = next(TEAMS)["username"]
        self.rng = random.Random(f"bench-{self.username}")
        self.need_id = ASSIGNMENTS[self.username]
        self.bid_url: str | None = None
        gevent.sleep(self.rng.uniform(0, STAGGER))
        self.logged_in = self.log_in("team dashboard")

    @task
    def work(self) -> None:
        """Log in again if needed; submit the bid once; afterwards look at one page."""
        if not self.logged_in:
            self.logged_in = self.log_in("team dashboard")
        elif self.bid_url is None:
            self.bid_url = self.submit_bid() or ""  # one attempt: a failed upload is an error, not retried
        else:
            url, name = self.rng.choice([("/team/", "team dashboard"), ("/needs", "catalogue")]
                                        + ([(self.bid_url, "own bid")] if self.bid_url else []))
            self.page(url, name)

    def submit_bid(self) -> str | None:
        """Catalogue, need, form, upload, bid page; the bid is recorded only when the server confirmed it."""
        self.page("/needs", "catalogue")
        self.think(TEAM_THINK)
        self.page(f"/needs/{self.need_id}", "need")
        self.think(TEAM_THINK)
        form = self.page(f"/team/needs/{self.need_id}/bid", "bid form", expect='name="approach"')
        if form is None:
            return None
        self.think(TEAM_THINK)
        content = big_pdf.team_copy(TEMPLATE, self.username.removeprefix("bench-"))
        fields = {**hidden_fields(form), "approach": f"{self.username} 的挑战报告：多光谱成像在线检测路线。",
                  "innovation": "小样本缺陷学习。", "indicators": "漏检率 < 0.1%。", "plan": "第 1-3 月样机。",
                  "price_wan": "280.00", "duration_months": "12", "declaration_accepted": "y",
                  "submit_report": "提交挑战报告"}
        body, content_type = multipart(fields, "pdf", f"{self.username}-挑战报告.pdf", content)
        where = self.post(f"/team/needs/{self.need_id}/bid", "submit bid with 5 MB PDF", "upload", BID_URL,
                          data=body, headers={"Content-Type": content_type})
        if where is None:
            return None
        BIDS.append({"team": self.username, "need_id": self.need_id, "bid_id": int(BID_URL.search(where)[1]),
                     "size": len(content), "sha256": big_pdf.sha256(content), "t": round(time.time() - STARTED, 2)})
        self.page(where, "own bid")
        return where


class Judge(Browser):
    """One judge: score the assigned bids one after the other (draft, then submit), then keep an eye on the workbench."""

    fixed_count = len(PLAN["judges"])
    wait_time = between(3, 10)

    def on_start(self) -> None:
        """Take the next judge account, start within the first 20 seconds, log in."""
        self.username = next(JUDGES)
        self.rng = random.Random(f"bench-{self.username}")
        self.idle = False
        gevent.sleep(self.rng.uniform(0, 20))
        self.logged_in = self.log_in("workbench")

    @task
    def work(self) -> None:
        """Open the workbench and score the first assignment not submitted yet (or wait when none is left)."""
        if not self.logged_in:
            self.logged_in = self.log_in("workbench")
            return
        if self.idle:
            gevent.sleep(self.rng.uniform(20, 40))
        workbench = self.page("/judge/", "workbench")
        if workbench is None:
            return
        todo = [int(bid) for state, bid in WORKBENCH_ROW.findall(workbench) if state != "submitted"]
        self.idle = not todo
        if todo:
            self.think(JUDGE_THINK)
            self.score(todo[0])

    def score(self, bid_id: int) -> None:
        """Open the sheet, save a draft of half the criteria, reload, submit every criterion."""
        url = f"/judge/online/{bid_id}"
        sheet = self.page(url, "score sheet", expect='name="points-')
        if sheet is None:
            return
        criteria = []
        for tag in INPUT.findall(sheet):
            attrs = dict(ATTR.findall(tag))
            if attrs.get("name", "").startswith("points-"):
                top = float(attrs.get("max", "10"))
                criteria.append((attrs["name"], f"{self.rng.uniform(top * 0.4, top):.1f}"))
        self.think(JUDGE_THINK)
        draft = {**hidden_fields(sheet), **dict(criteria[: len(criteria) // 2]), "comment": "", "save_draft": "保存草稿"}
        if self.post(url, "save draft sheet", "post", data=urllib.parse.urlencode(draft),
                     headers={"Content-Type": "application/x-www-form-urlencoded"}) is None:
            return
        sheet = self.page(url, "score sheet", expect='name="points-')
        if sheet is None:
            return
        self.think(JUDGE_THINK)
        final = {**hidden_fields(sheet), **dict(criteria), "comment": "方案可行，指标明确。", "submit_sheet": "提交评分"}
        if self.post(url, "submit sheet", "post", data=urllib.parse.urlencode(final),
                     headers={"Content-Type": "application/x-www-form-urlencoded"}) is not None:
            SHEETS.append({"judge": self.username, "bid_id": bid_id, "t": round(time.time() - STARTED, 2)})
            self.page(url, "score sheet")
