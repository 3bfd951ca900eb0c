"""Production hygiene: a styled 500 page with an error id that is in the log with its traceback, never a
traceback on the page, no Werkzeug debugger; and bandit finds no high-severity issue (run by `make test`)."""
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from flask import abort

from contest import create_app
from contest.extensions import db as _db

SECRET_DETAIL = "database password is hunter2-secret"


@pytest.fixture
def production(tmp_path, databases, monkeypatch):
    """The app as gunicorn runs it: no TESTING, no DEBUG, exceptions not propagated."""
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("SECRET_KEY", "a-production-secret-key-of-some-length")
    app = create_app({"SQLALCHEMY_DATABASE_URI": databases.fresh(tmp_path),
                      "PROPAGATE_EXCEPTIONS": False})
    assert not app.testing and not app.debug
    # Alembic's env.py runs logging.config.fileConfig, which disables loggers that exist at the time
    # (earlier tests migrate databases in this process); a production server never migrates in-process.
    app.logger.disabled = False

    @app.get("/_test/explode")
    def explode():
        raise RuntimeError(SECRET_DETAIL)

    @app.get("/_test/abort")
    def aborted():
        abort(500)

    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()


def error_id_in(html: str) -> str:
    match = re.search(r"错误编号：([0-9a-f]{8})", html)
    assert match, html
    return match.group(1)


def test_a_crash_shows_the_styled_page_with_an_id_that_is_in_the_log(production, caplog):
    caplog.set_level(logging.ERROR)
    response = production.test_client().get("/_test/explode")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "服务器错误" in html and 'lang="zh-CN"' in html and "navbar" in html
    error_id = error_id_in(html)

    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert len(logged) == 1
    record = logged[0]
    assert record.exc_info and record.exc_info[0] is RuntimeError and SECRET_DETAIL in str(record.exc_info[1])
    assert "/_test/explode" in record.getMessage()
    assert "Traceback" in caplog.text and SECRET_DETAIL in caplog.text


def test_the_page_never_shows_the_traceback_or_the_exception(production):
    html = production.test_client().get("/_test/explode").get_data(as_text=True)
    for leak in ("Traceback", "RuntimeError", SECRET_DETAIL, "File \"", "werkzeug", "Werkzeug", "__debugger__"):
        assert leak not in html


def test_each_crash_gets_its_own_id(production):
    client = production.test_client()
    first = error_id_in(client.get("/_test/explode").get_data(as_text=True))
    second = error_id_in(client.get("/_test/explode").get_data(as_text=True))
    assert first != second


def test_an_aborted_request_gets_an_id_too(production, caplog):
    caplog.set_level(logging.ERROR)
    response = production.test_client().get("/_test/abort")
    assert response.status_code == 500
    assert error_id_in(response.get_data(as_text=True)) in caplog.text


def test_api_clients_get_the_id_in_json(production, caplog):
    caplog.set_level(logging.ERROR)
    response = production.test_client().get("/_test/explode", headers={"Accept": "application/json"})
    assert response.status_code == 500
    body = response.get_json()
    assert body["error"] == "服务器错误" and SECRET_DETAIL not in str(body)
    assert error_id_in(body["detail"]) in caplog.text


@pytest.mark.parametrize("url", [
    "/console",
    "/_test/explode?__debugger__=yes&cmd=resource&f=style.css",
    "/?__debugger__=yes&cmd=printpin&s=x",
])
def test_the_werkzeug_debugger_is_not_reachable(production, url):
    response = production.test_client().get(url)
    html = response.get_data(as_text=True)
    assert "Werkzeug" not in html and "__debugger__" not in html and "Interactive Console" not in html
    assert "pin" not in response.headers.get("Set-Cookie", "").lower()  # the debugger's PIN cookie


def test_nothing_turns_the_debugger_on():
    root = Path(__file__).resolve().parent.parent
    assert "debug" not in (root / "wsgi.py").read_text().lower()  # gunicorn wsgi:app runs without it
    run_lines = [line for line in (root / "Makefile").read_text().splitlines() if " run " in line]
    assert run_lines and not any("--debug" in line or "FLASK_DEBUG" in line for line in run_lines)


def test_the_production_app_is_not_wrapped_in_the_debugger(production):
    from werkzeug.debug import DebuggedApplication

    assert not production.debug and production.config["DEBUG"] is False
    assert not isinstance(production.wsgi_app, DebuggedApplication)


# --- static checks ------------------------------------------------------------------------------------

def test_make_test_runs_bandit_before_the_tests():
    root = Path(__file__).resolve().parent.parent
    makefile = (root / "Makefile").read_text()
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    bandit = recipe.index("bandit -q -r contest -lll")
    assert bandit < recipe.index("pytest")


def test_bandit_finds_no_high_severity_issue_in_contest():
    root = Path(__file__).resolve().parent.parent
    bandit = Path(sys.executable).with_name("bandit")
    result = subprocess.run([str(bandit), "-q", "-r", "contest", "-lll", "-f", "json"], cwd=root,
                            capture_output=True, text=True, check=False)
    report = json.loads(result.stdout)
    assert [(r["filename"], r["line_number"], r["test_id"]) for r in report["results"]] == []
    assert result.returncode == 0
