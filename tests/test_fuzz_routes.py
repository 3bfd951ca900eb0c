"""Hostile input is answered 4xx (or handled), never 500: every route, every field, every query parameter.

The world is the access matrix's (tests/access_world.py, built once per module), and so is the list of routes:
each rule of tests/access_matrix_table.py is requested, for each of its methods, by an actor that may use it,
with its object of party A in the URL (the demo would leave routes without an object in the right state).

Each route gets a bounded number of hypothesis examples. In each, either every input or one to three of them
(the others keeping the table's valid values, so that what lies behind the form's checks runs too) take a
hostile value (HOSTILE: huge, negative and non-finite numbers, dates at the ends of the calendar, empty, blank
and 10,000-character strings, NUL, CR/LF, RTL and zero-width marks, emoji, SQL, HTML and template snippets,
`../` paths, several values where one is expected); sometimes an id in the path becomes one no row can have
(0, 2**31, 2**63, 10**30) or a code or token in the path hostile text.

The inputs: for a GET, the query parameters its view reads (`request.args` in its source, `page_number(...)`,
the inputs of the page's GET forms); for a POST, the keys of the table's valid body, the inputs of every
rendered form posting to the route and the fields of the WTForms classes its view names, and for a name holding
an index or id (rows-3-name, points-21) the same with a huge, non-ASCII, negative or empty one.

Nothing may raise (the test app propagates exceptions: a 500 in production) or answer 5xx. The database is put
back before each route whose predecessor changed it; examples of one route share its state (a saved hostile
value must not break the next request either).

Left out (EXCLUDED): the routes that render or stream every contract of an edition (contracts.pdf,
contracts.zip: seconds per request with WeasyPrint, and they read no input but the edition's code in the URL).
"""
from __future__ import annotations

import hashlib
import inspect
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from wtforms import Form
from wtforms.fields import FieldList, FormField
from wtforms.fields.core import UnboundField

from contest.domain.states import Role
from contest.extensions import db

from .access_matrix_table import OK, REFUSED, TABLE
from .access_world import ACTORS, logged_in_world
from .test_contracts import World, draft, snapshot, terms_form
from .test_team import bids_of, need, post_bid, team  # noqa: F401  (fixtures)

EXCLUDED = {
    "organizer.contracts_pdf": "renders every contract of the edition (slow); no input but the code in the URL",
    "organizer.contracts_zip": "renders every contract of the edition (slow); no input but the code in the URL",
}
ROUTES = [(endpoint, method) for endpoint, route in sorted(TABLE.items()) if endpoint not in EXCLUDED
          for method in route.methods]
# Who fuzzes a route: the first of these the table lets use it (a business refusal is a page the actor may use).
PREFERRED_ACTORS = ("organizer", "firm_a", "team_a", "judge_assigned", "panel_rep", "anonymous", *ACTORS)

HOSTILE_NUMBERS = (
    "0", "-1", "-0", "007", "1.5", "0.001", "-0.01", "9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "1" + "0" * 30, "1e30", "-1e30", "1e308", "-1e308", "1e-308", "1e999", "NaN", "nan",
    "-NaN", "sNaN", "Infinity", "-Infinity", "inf", "1_000", "0x1F", "１２３", "٣", "9" * 5000,
    "99999999999.99", "10000000000", "12345678901234567890.123",
)
HOSTILE_DATES = ("0001-01-01", "9999-12-31", "2026-02-30", "0000-00-00", "0001-01-01T00:00", "9999-12-31T23:59",
                 "2026-03-10T25:61")
HOSTILE_TEXT = (
    "", " ", "\t\n", "x" * 10_000, "中" * 5000, "\x00", "a\x00b", "\r\n", "a\r\nX-Injected: 1",
    "\u202e\u2066abc\u2069", "\u200b\u200d\ufeff", "😀🇨🇳👨‍👩‍👧", "' OR '1'='1' --", "'; DROP TABLE users; --",
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{7*7}}{% raw %}", "../../../../etc/passwd",
    "..\\..\\windows\\win.ini", "%00", "%(n)s %s {0}", "javascript:alert(1)", "//evil.example/", "null", "true",
    "[]", "{}", "on",
)
HOSTILE = HOSTILE_NUMBERS + HOSTILE_DATES + HOSTILE_TEXT
VALUES = st.one_of(st.sampled_from(HOSTILE), st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=3))
HOSTILE_IDS = (0, 2**31, 2**63 - 1, 2**63, 10**30)  # PostgreSQL's integer is 32 bits, SQLite's 64
ARGS_READ = re.compile(r"""(?:request\.args\.get\(\s*|request\.args\[\s*)["'](\w+)["']""")
PAGE_READ = re.compile(r"""page_number\(\s*(?:["'](\w+)["'])?\s*\)""")
FORM_NAME = re.compile(r"\b([A-Z]\w*Form)\b")
NOT_INPUTS = {"csrf_token"}  # CSRF is off in the test app: fuzzing the token tests nothing
INDEX = re.compile(r"-(\d+)(?=-|$)")  # rows-3-name, points-21: an index or id inside an input's name
HOSTILE_INDICES = ("9" * 20, "²", "-1", "")


# --- what each route reads ------------------------------------------------------------------------------------

class _Forms(HTMLParser):
    """The forms of a page: (method, action, the names of their inputs, selects, textareas and buttons)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, set[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(((attrs.get("method") or "get").upper(), attrs.get("action") or "", set()))
        elif tag in ("input", "select", "textarea", "button") and self.forms and attrs.get("name"):
            self.forms[-1][2].add(attrs["name"])


def _class_fields(form_class: type[Form], prefix: str = "") -> set[str]:
    """The input names of a WTForms class (sub-forms and the first row of a list included)."""
    names = set()
    for attr in dir(form_class):
        unbound = getattr(form_class, attr, None)
        if not isinstance(unbound, UnboundField):
            continue
        name = prefix + unbound.kwargs.get("name", attr)
        inner = unbound
        if issubclass(inner.field_class, FieldList):
            name, inner = f"{name}-0", unbound.args[0]
        if issubclass(inner.field_class, FormField):
            names |= _class_fields(inner.args[0], f"{name}-")
        else:
            names.add(name)
    return names


def _source_inputs(view) -> tuple[set[str], set[str]]:
    """(query parameters, form fields) named in the view's source: request.args, page_number(), its form classes."""
    source = inspect.getsource(view)
    query = set(ARGS_READ.findall(source)) | {name or "page" for name in PAGE_READ.findall(source)}
    fields = set()
    for name in FORM_NAME.findall(source):
        found = view.__globals__.get(name)
        if isinstance(found, type) and issubclass(found, Form):
            fields |= _class_fields(found)
    return query, fields


def actor_for(endpoint: str, method: str) -> str:
    route = TABLE[endpoint]
    return next(a for a in PREFERRED_ACTORS if route.outcome(method, a) in (OK, REFUSED))


def _inputs(app, world, sessions) -> dict[tuple[str, str], set[str]]:
    """Every route's inputs: from the view's source, the table's body and the forms of every page rendered."""
    inputs: dict[tuple[str, str], set[str]] = {}
    for endpoint, method in ROUTES:
        query, fields = _source_inputs(app.view_functions[endpoint])
        inputs[(endpoint, method)] = query if method == "GET" else fields | set(TABLE[endpoint].body(world))
    adapter = app.url_map.bind("localhost")
    for endpoint, method in ROUTES:
        if method != "GET":
            continue
        url = adapter.build(endpoint, TABLE[endpoint].args(world))
        response = _client(app, sessions, actor_for(endpoint, "GET")).get(url)
        if not response.mimetype == "text/html":
            continue
        parser = _Forms()
        parser.feed(response.get_data(as_text=True))
        for form_method, action, names in parser.forms:
            try:
                target, _args = adapter.match(urlsplit(action).path or url, method=form_method)
            except HTTPException:
                continue
            if (target, form_method) in inputs:
                inputs[(target, form_method)] |= names
    return {(endpoint, method): _with_hostile_indices(names - NOT_INPUTS)
            for (endpoint, method), names in inputs.items()}


def _with_hostile_indices(names: set[str]) -> set[str]:
    """The names, and for those holding an index or id (rows-3-name, points-21) the same with hostile ones."""
    return names | {INDEX.sub(f"-{index}", name, count=1) for name in names if INDEX.search(name)
                    for index in HOSTILE_INDICES}


# --- the world, once per module -------------------------------------------------------------------------------

def _client(app, sessions: dict, actor: str):
    client = app.test_client()
    if actor != "anonymous":
        with client.session_transaction() as session:
            session.update(sessions[actor])
    return client


def _listing(folder: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(folder)), p.stat().st_size) for p in folder.rglob("*") if p.is_file()) \
        if folder.exists() else []


def _digest() -> str:
    """A digest of every row: whether the last route changed the database."""
    found = hashlib.sha256()
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            found.update("\n".join(sorted(repr(tuple(r)) for r in conn.execute(sa.select(table)))).encode())
    return found.hexdigest()


class Fuzz(SimpleNamespace):
    """The module's app, world, sessions and inputs (its repr stays short in hypothesis's reports)."""

    def __repr__(self) -> str:
        return "<the fuzzed world>"


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory, databases):
    tmp = tmp_path_factory.mktemp("fuzz")
    app, world, sessions, database_url, uploads = logged_in_world(tmp, databases)
    with app.app_context():
        digest = _digest()
        db.session.remove()
        db.engine.dispose()
    inputs = _inputs(app, world, sessions)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    pristine = databases.snapshot(database_url, tmp)
    shutil.copytree(uploads, tmp / "pristine-uploads")
    yield Fuzz(app=app, world=world, sessions=sessions, inputs=inputs, digest=digest, files=_listing(uploads),
               databases=databases, database_url=database_url, pristine=pristine, uploads=uploads,
               pristine_uploads=tmp / "pristine-uploads")
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def restored(fuzz):
    """The pristine world for this route. No application context stays open: each request has its own."""
    with fuzz.app.app_context():
        changed = _digest() != fuzz.digest
        db.session.remove()
        db.engine.dispose()
    if changed:
        fuzz.databases.restore(fuzz.database_url, fuzz.pristine)
    if _listing(fuzz.uploads) != fuzz.files:
        shutil.rmtree(fuzz.uploads)
        shutil.copytree(fuzz.pristine_uploads, fuzz.uploads)
    return fuzz


# --- the test -------------------------------------------------------------------------------------------------

def _url(app, endpoint: str, method: str, args: dict, key: str | None = None, hostile=None) -> str:
    """The route's URL, with `key` set to `hostile`. A value its converter would not build (any(csv, xlsx)) is
    written over the valid one in the URL built with that."""
    adapter = app.url_map.bind("localhost")
    try:
        return adapter.build(endpoint, {**args, key: hostile} if key else args, method=method)
    except ValueError:
        head, _found, tail = adapter.build(endpoint, args, method=method).rpartition(quote(str(args[key])))
        return head + quote(str(hostile), safe="") + tail


def _poisoned(data, names: list[str]) -> dict:
    """Hostile values for the route's inputs: for every one at once (each field's own checks run), or for one to
    three of them, the others keeping the table's valid values (what lies behind the checks runs too)."""
    if not names:
        return {}
    if data.draw(st.booleans(), label="every input"):
        return {name: data.draw(VALUES, label=name) for name in names}
    return data.draw(st.dictionaries(st.sampled_from(names), VALUES, min_size=1, max_size=3), label="inputs")


@pytest.mark.parametrize("endpoint, method", ROUTES, ids=[f"{e}-{m}" for e, m in ROUTES])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_input_is_never_a_500(restored, endpoint, method, data):
    """A route without inputs is only fuzzed in its URL (hypothesis stops once those few cases are tried)."""
    route = TABLE[endpoint]
    names = sorted(restored.inputs[(endpoint, method)])
    args = route.args(restored.world)
    url = _url(restored.app, endpoint, method, args)
    if args and (not names or data.draw(st.integers(0, 4), label="poison the URL") == 0):
        key = data.draw(st.sampled_from(sorted(args)), label="argument")
        hostile = data.draw(st.sampled_from(HOSTILE_IDS if isinstance(args[key], int) else HOSTILE_TEXT), label="to")
        url = _url(restored.app, endpoint, method, args, key, hostile)
    poisoned = _poisoned(data, names)
    client = _client(restored.app, restored.sessions, actor_for(endpoint, method))
    try:
        if method == "GET":
            response = client.get(url, query_string=poisoned)
        else:
            response = client.post(url, data={**route.body(restored.world), **poisoned})
    except Exception as exc:  # the test app propagates what production answers 500
        raise AssertionError(f"{method} {url} with {poisoned!r} raised {exc!r}") from exc
    assert response.status_code < 500, f"{method} {url} with {poisoned!r}: HTTP {response.status_code}"


# --- the failures found, one by one ---------------------------------------------------------------------------

HUGE = "1" + "0" * 30  # beyond SQLite's 64-bit and PostgreSQL's integers


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("page", [HUGE, "99", "0", "-3", "abc", "9" * 5000])
def test_any_page_number_of_the_catalogue_shows_a_page(client, make_need, db, page):
    make_need(name="高精度注塑件在线视觉检测")
    db.session.commit()
    response = client.get(f"/needs?page={page}")
    assert response.status_code == 200 and "高精度注塑件在线视觉检测" in _text(response)  # the first, and last, page


def test_the_audit_log_takes_huge_pages_object_numbers_and_the_ends_of_the_calendar(client, login, make_user):
    login(make_user(Role.ORGANIZER))
    last_page = client.get(f"/organizer/audit?page={HUGE}")
    assert last_page.status_code == 200 and 'data-action="user.login"' in _text(last_page)
    for impossible in (HUGE, str(2**31), "-" + HUGE):
        response = client.get(f"/organizer/audit?object_id={impossible}")
        assert response.status_code == 200 and "没有符合条件的记录" in _text(response)
    for dates in ("date_to=9999-12-31", "date_from=0001-01-01", "date_from=0001-01-01&date_to=9999-12-31"):
        response = client.get(f"/organizer/audit?{dates}")
        assert response.status_code == 200 and 'data-action="user.login"' in _text(response)


def test_an_id_no_row_can_have_is_404(client, login, make_user):
    login(make_user(Role.ORGANIZER))
    for url in (f"/organizer/needs/{HUGE}", f"/organizer/needs/{2**31}", f"/organizer/contracts/{2**63}"):
        assert client.get(url).status_code == 404, url


def test_a_nul_character_is_refused_400_with_the_reason(client):
    response = client.get("/needs?q=%00")
    assert response.status_code == 400 and "空字符（NUL）" in _text(response)


@pytest.mark.parametrize("price, message", [("NaN", "请输入有效的数字"), ("sNaN", "请输入有效的数字"),
                                            ("Infinity", "请输入有效的数字"), ("-Infinity", "请输入有效的数字"),
                                            ("1e30", "报价须为大于 0、不超过"), (HUGE, "报价须为大于 0、不超过")])
def test_a_bid_price_that_is_no_amount_is_refused_in_chinese_and_nothing_is_saved(team, need, client, db, app,
                                                                                  price, message):
    response = post_bid(client, need, price_wan=price)
    assert response.status_code == 400 and message in _text(response)
    assert bids_of(db, team) == []
    assert not list((Path(app.config["UPLOAD_FOLDER"]) / "bids").glob("*"))


@pytest.fixture
def contract_world(db, edition, make_user, make_need, make_team, make_bid):
    return World(db, edition, make_user, make_need, make_team, make_bid)


@pytest.mark.parametrize("changes, message", [
    ({"total_amount": "NaN"}, "请输入有效的数字"),
    ({"total_amount": "Infinity"}, "请输入有效的数字"),
    ({"total_amount": "-Infinity"}, "请输入有效的数字"),
    ({"total_amount": "1e30"}, "合同金额须在 0.01 元至"),
    ({"instalments": [("1e30", "2026-06-30", "预付")]}, "第 1 期付款金额须在 0.01 元至"),
    ({"instalments": [("NaN", "2026-06-30", "预付")]}, "第 1 期付款金额须为金额数字"),
])
def test_a_contract_amount_that_is_no_amount_is_refused_and_nothing_changes(client, db, login, contract_world,
                                                                            changes, message):
    login(contract_world.organizer)
    contract = draft(client, contract_world)
    before = snapshot(db, contract)
    response = client.post(f"/organizer/contracts/{contract.id}", data=terms_form(contract, **changes))
    assert response.status_code == 400 and message in _text(response)
    assert snapshot(db, contract) == before
