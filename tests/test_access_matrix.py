"""The access matrix: every rule of app.url_map, for GET and POST, against ten actors.

Anonymous, firm A, firm B, team A, team B, an assigned judge, an unassigned judge, a conflicted judge, the
firm's panel representative and an organizer each request every route with party A's object (the world is in
access_world.py, the table of expected outcomes in access_matrix_table.py). Another party's object answers 404
and its page names nothing of it; a denied request, GET or POST, changes nothing in the database or on disk
but the audit trail, where a 403 is recorded as access.denied.

The world is built once per module; the database is restored before every case that follows a change, so cases
are independent (and may run in any order) even when an allowed POST changes something.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from contest import create_app
from contest.domain.states import AssignmentStatus
from contest.errors import MESSAGES
from contest.extensions import db
from contest.models import Assignment, AuditEvent

from .access_matrix_table import FORBIDDEN, HIDDEN, LOGIN, NOT_IN_MATRIX, OK, REFUSED, TABLE, WAITING
from .access_world import ACTORS, TEAM_A_APPROACH, TEAM_A_IDENTITY, logged_in_world

METHODS = ("GET", "POST")


def _url_map_rules() -> list[tuple[str, str]]:
    """(endpoint, method) of every rule of the app's URL map that the matrix must cover."""
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted({(rule.endpoint, method) for rule in app.url_map.iter_rules()
                   if rule.endpoint not in NOT_IN_MATRIX for method in METHODS if method in rule.methods})


RULES = _url_map_rules()


# --- the world, once per module ----------------------------------------------------------------------------

def _listing(folder: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(folder)), p.stat().st_size) for p in folder.rglob("*") if p.is_file()) \
        if folder.exists() else []


def _table_digests() -> dict[str, str]:
    """A digest of every table's rows: what a denied request must leave exactly as it was.

    The audit trail is left out: a refused access adds its own event there (checked in test_access).
    """
    digests = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name == AuditEvent.__tablename__:
                continue
            rows = sorted(repr(tuple(row)) for row in conn.execute(sa.select(table)))
            digests[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


@pytest.fixture(scope="module")
def matrix(tmp_path_factory, databases):
    """The app, the world's ids, each actor's logged-in session, and the pristine database to restore."""
    tmp = tmp_path_factory.mktemp("access")
    app, world, sessions, database_url, uploads = logged_in_world(tmp, databases)
    with app.app_context():
        digests = _table_digests()
        db.session.remove()
        db.engine.dispose()
    pristine = databases.snapshot(database_url, tmp)
    shutil.copytree(uploads, tmp / "pristine-uploads")
    yield SimpleNamespace(app=app, world=world, sessions=sessions, digests=digests, files=_listing(uploads),
                          databases=databases, database_url=database_url, pristine=pristine, uploads=uploads,
                          pristine_uploads=tmp / "pristine-uploads")
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def restored(matrix):
    """The pristine world, in an application context of this case only."""
    with matrix.app.app_context():
        db.session.remove()
        if _table_digests() != matrix.digests:
            db.engine.dispose()
            matrix.databases.restore(matrix.database_url, matrix.pristine)
        if _listing(matrix.uploads) != matrix.files:
            shutil.rmtree(matrix.uploads)
            shutil.copytree(matrix.pristine_uploads, matrix.uploads)
        yield matrix
        db.session.remove()


# --- what came back -------------------------------------------------------------------------------------------

def classify(response, generic_403: str) -> str:
    status = response.status_code
    if 300 <= status < 400:
        path = urlsplit(response.headers.get("Location", "")).path
        return {"/auth/login": LOGIN, "/auth/membership": WAITING}.get(path, OK)
    if 200 <= status < 300:
        return OK
    if status == 404:
        return HIDDEN
    if status == 403 and generic_403 in response.get_data().decode("utf-8", errors="replace"):
        return FORBIDDEN
    if 400 <= status < 500:
        return REFUSED
    return f"HTTP {status}"


MISSING_ID = 999_999
CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*"')


def _open(m, url: str, actor: str, method: str = "GET", data: dict | None = None):
    """The actor's request: a fresh client carrying the actor's logged-in session (none for anonymous)."""
    client = m.app.test_client()
    if actor != "anonymous":
        with client.session_transaction() as session:
            session.update(m.sessions[actor])
    return client.open(url, method=method, data=data)


def _send(m, endpoint: str, method: str, actor: str, missing: bool = False):
    """Request the route with party A's object, or (missing=True) with ids that exist nowhere."""
    route = TABLE[endpoint]
    args = route.args(m.world)
    if missing:
        args = {k: MISSING_ID if isinstance(v, int) else v for k, v in args.items()}
    url = m.app.url_map.bind("localhost").build(endpoint, args, method=method)
    return url, _open(m, url, actor, method, route.body(m.world) if method == "POST" else None)


def _denials() -> int:
    """How many refused accesses the audit trail holds."""
    with db.engine.connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                           .where(AuditEvent.action == "access.denied"))


def _page(response) -> str:
    return CSRF_VALUE.sub(r'\1"', response.get_data().decode("utf-8", errors="replace"))


# --- the tests ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint, method", RULES, ids=[f"{e}-{m}" for e, m in RULES])
def test_every_route_is_in_the_access_table(endpoint, method):
    route = TABLE.get(endpoint)
    assert route is not None and method in route.methods, (
        f"{method} {endpoint} is not in the access matrix: add it to the access table "
        f"(tests/access_matrix_table.py) with its arguments and each actor's expected outcome")


def test_the_access_table_names_only_routes_that_exist():
    stale = sorted({(e, m) for e, route in TABLE.items() for m in route.methods} - set(RULES))
    assert not stale, f"the access table lists routes the app no longer has: {stale}"


def test_every_refusal_in_the_table_is_explained():
    unexplained = [e for e, route in TABLE.items()
                   if any(route.outcome(m, a) == REFUSED for m in route.methods for a in ACTORS) and not route.why]
    assert not unexplained, f"say why these routes answer 'refused': {unexplained}"


CASES = [(e, m, a) for e, m in RULES for a in ACTORS]


@pytest.mark.parametrize("endpoint, method, actor", CASES, ids=[f"{e}-{m}-{a}" for e, m, a in CASES])
def test_access(restored, endpoint, method, actor):
    route = TABLE.get(endpoint)
    if route is None or method not in route.methods:
        pytest.fail(f"{method} {endpoint} is not in the access matrix: add it to the access table")
    expected = route.outcome(method, actor)
    denials = _denials()
    url, response = _send(restored, endpoint, method, actor)
    body = _page(response)
    got = classify(response, str(MESSAGES[403][1]))
    assert got == expected, (f"{actor} {method} {url}: expected {expected}, got {got} "
                             f"(HTTP {response.status_code}) {route.why if REFUSED in (got, expected) else ''}")

    if expected == WAITING and route.own_account:
        return
    if expected == OK:
        if route.blind and actor.startswith("judge"):
            shown = [name for name in TEAM_A_IDENTITY if name in body]
            assert not shown, f"{actor} {method} {url} is a page of the blind review but shows {shown}"
        return
    # Denied or refused: nothing changed, in the database or among the stored files.
    db.session.remove()
    changed = sorted(name for name, digest in _table_digests().items() if restored.digests[name] != digest)
    assert not changed, f"{actor} {method} {url} was answered {expected} but changed tables {changed}"
    assert _listing(restored.uploads) == restored.files, f"{actor} {method} {url} left files behind"
    if expected == FORBIDDEN:
        assert _denials() == denials + 1, f"{actor} {method} {url} was refused but not recorded as access.denied"
    if expected in (HIDDEN, FORBIDDEN, LOGIN, WAITING):
        # Nothing of party A's objects shows: no need, team, organization, bid text or contract number.
        shown = body + response.headers.get("Location", "")
        leaked = [secret for secret in restored.world.secrets if secret in shown]
        assert not leaked, f"{actor} {method} {url} answered {expected} but shows {leaked}"
    if expected == HIDDEN:
        # Exactly the page of an object that does not exist: the 404 tells nothing about whose it is.
        missing_url, missing = _send(restored, endpoint, method, actor, missing=True)
        assert missing.status_code == 404 and _page(missing) == body, (
            f"{actor} {method} {url} answers 404 unlike {missing_url}, an object that does not exist")


def test_a_conflicted_judge_assigned_by_hand_sees_nothing_of_the_bid_but_may_recuse(restored):
    """Assigned before its organization was known: answered as if the bid were not its own, shown none of it and
    not listed, and still able to step back from it (the organizer sees the conflict on the assignment board)."""
    bid = restored.world.bids["online_a"]
    for url in (f"/judge/online/{bid}", f"/judge/online/{bid}/file"):
        response = _open(restored, url, "judge_conflicted")
        body = response.get_data().decode("utf-8", errors="replace")
        assert response.status_code == 404 and "利益冲突" not in body, url    # as if it were not its bid
        assert TEAM_A_APPROACH not in body and "%PDF" not in body, url
    for url in ("/judge/", "/judge/profile"):                               # and not on its lists either
        assert not re.search(rf"#{bid}(?!\d)", _open(restored, url, "judge_conflicted").get_data(as_text=True)), url
    own = db.session.scalar(sa.select(Assignment.id).where(
        Assignment.bid_id == bid, Assignment.judge_id == restored.world.users["judge_conflicted"]))
    response = _open(restored, f"/judge/assignments/{own}/recuse", "judge_conflicted", "POST",
                     {"reason": "本人所在单位为该团队牵头单位"})
    assert response.status_code == 302
    db.session.remove()
    assert db.session.get(Assignment, own).status == AssignmentStatus.RECUSED

