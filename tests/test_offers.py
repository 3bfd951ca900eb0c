"""No page offers what the server refuses: the demo's pages are walked per role, and every form they offer is
posted as the page renders it (confirmed, as static/js/confirm.js does once the user agrees); none may be
refused for a rule (403, 404 or 409). A form whose own inputs are incomplete may be answered 400: that is the
user's input, not an offer the server refuses. Before each post the form's page is read again: an earlier post
may have changed what it offers.

The roles walk one after another over one seeded demo (the team and firm first, the organizer last, since the
organizer's posts move whole editions on).
"""
from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from contest.extensions import db as _db
from tests.conftest import seeded_demo

DEMO_PASSWORD = "demo-pass-2024"
ROLES = [("team1", "/team/"), ("team2", "/team/"), ("firm1", "/firm/needs"), ("firm2", "/firm/needs"),
         ("firm4", "/firm/needs"), ("judge1", "/judge/"), ("market1", "/market/"), ("broker1", "/broker/"),
         ("organizer", "/organizer/")]  # the organizer last: its walk presses the accounts' forms (disable, reset)
PAGES_PER_ROLE = 90      # pages read per role, at most
PER_SHAPE = 2            # pages of one shape (/team/bids/<n>) read per role, at most
SKIPPED_PATHS = ("/auth/logout", "/static/", "/auth/password", "/organizer/backups")
RULE_REFUSALS = (403, 404, 409)


class Page(HTMLParser):
    """The links and the POST forms of a page, with the values a browser would send for each form."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action"), "fields": [], "files": False, "selects": {}, "button": False}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            self._form["button"] = True
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a.get("name")
            if kind in ("submit", "image"):
                self._form["button"] = True
            if not name or kind in ("submit", "button", "image", "reset"):
                return
            if kind == "file":
                self._form["files"] = True
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((name, a.get("value", "on")))
                elif kind == "radio" and name not in {n for n, _ in self._form["fields"]}:
                    self._form.setdefault("radios", {}).setdefault(name, a.get("value", "on"))
            else:
                self._form["fields"].append((name, a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["fields"].append((a["name"], ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select:
            value = a.get("value", "")
            chosen = self._form["selects"]
            if "selected" in a or self._select not in chosen:
                chosen[self._select] = value

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def form_data(form: dict) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    for name, value in {**form.get("radios", {}), **form["selects"]}.items():
        data.setdefault(name, [value])
    data["confirmed"] = ["1"]
    return data


def shape(path: str) -> str:
    return re.sub(r"\d+", "<n>", path)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, databases):
    with seeded_demo(tmp_path_factory.mktemp("demo-offers"), databases) as (app, _):
        app.config["RATELIMIT_ENABLED"] = False
        with app.app_context():
            yield app
            _db.session.remove()


def walk(client, start: str) -> list[tuple[str, str]]:
    """The pages reachable from `start` (same site, HTML), each with its HTML, bounded per shape and in all."""
    seen, shapes, found, queue = set(), Counter(), [], [start, "/"]
    while queue and len(found) < PAGES_PER_ROLE:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIPPED_PATHS):
            continue
        target = parts.path + (f"?{parts.query}" if parts.query and "lang=" not in parts.query else "")
        if target in seen or shapes[shape(parts.path)] >= PER_SHAPE:
            continue
        seen.add(target)
        response = client.get(target)
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        shapes[shape(parts.path)] += 1
        html = response.get_data(as_text=True)
        found.append((target, html))
        queue.extend(urljoin(target, link).split("#")[0] for link in parsed(html).links)
    return found


@pytest.mark.parametrize("username,home", [pytest.param(*role, id=role[0]) for role in ROLES])
def test_every_offered_form_is_accepted_or_only_asks_for_input(demo, username, home):
    client = demo.test_client()
    assert client.post("/auth/login", data={"username": username, "password": DEMO_PASSWORD}).status_code == 302
    pages = walk(client, home)
    assert len(pages) > 3
    posted, refused = 0, []
    done = set()
    for url, html in pages:
        for form in parsed(html).forms:
            action = urljoin(url, form["action"] or url)
            if not form["button"]:
                continue  # nothing to press: not offered (a locked form shown read-only)
            if urlsplit(action).path.startswith(SKIPPED_PATHS) or (action, tuple(form_data(form))) in done:
                continue
            done.add((action, tuple(form_data(form))))
            # read the page again: is the form still offered now?
            fresh = client.get(url)
            if fresh.status_code != 200:
                continue
            now_offered = [f for f in parsed(fresh.get_data(as_text=True)).forms
                           if urljoin(url, f["action"] or url) == action and f["button"]]
            if not now_offered:
                continue
            response = client.post(action, data=form_data(now_offered[0]))
            posted += 1
            if response.status_code in RULE_REFUSALS:
                message = re.search(r'alert-danger[^>]*>\s*([^<]+)', response.get_data(as_text=True))
                refused.append((url, action, response.status_code, message and message.group(1).strip()))
    assert posted > 0
    assert refused == []
