"""Security headers on every response: CSP without inline script, nosniff, Referrer-Policy, HSTS on HTTPS,
`Cache-Control: private, no-store` for logged-in users and downloads; no inline script in the templates."""
import io
import re
from pathlib import Path

import pytest
from flask import Response, send_file

from contest import create_app
from contest.domain.states import Role

CSP_CORE = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.fixture
def routes(app):
    """A few responses of every kind: a download to anyone, an attachment made by hand, a JSON answer."""

    @app.get("/_test/streamed")
    def streamed():
        return send_file(io.BytesIO(b"%PDF-1.4"), mimetype="application/pdf", download_name="a.pdf")

    @app.get("/_test/attachment")
    def attachment():
        return Response("a,b\n", mimetype="text/csv", headers={"Content-Disposition": "attachment; filename=a.csv"})

    @app.post("/_test/json")
    def json_answer():
        return {"ok": True}

    return app


def assert_base_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert CSP_CORE in csp or csp == "default-src 'none'", csp  # downloads are stricter still
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")


def test_pages_have_the_full_policy(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert csp.startswith(CSP_CORE)
    for directive in ("img-src 'self' data:", "style-src 'self'", "script-src 'self'", "form-action 'self'"):
        assert directive in csp


@pytest.mark.parametrize("method,url", [
    ("get", "/"), ("get", "/auth/login"), ("post", "/auth/login"), ("get", "/no/such/page"),
    ("get", "/firm/needs"), ("get", "/static/css/contest.css"), ("get", "/_test/streamed"),
    ("get", "/_test/attachment"), ("post", "/_test/json"), ("delete", "/auth/login"),
])
def test_every_response_carries_the_headers(routes, client, method, url):
    response = getattr(client, method)(url)
    assert_base_headers(response)
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP


def test_logged_in_responses_carry_the_headers(client, make_user, login):
    login(make_user(Role.ORGANIZER))
    for url in ("/organizer/", "/organizer/users", "/organizer/no-such", "/auth/password"):
        assert_base_headers(client.get(url))


# --- HSTS ---------------------------------------------------------------------------------------------

def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers
    response = client.get("/auth/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == HSTS
    assert client.get("/no/such", base_url="https://localhost").headers["Strict-Transport-Security"] == HSTS


def _app(tmp_path, monkeypatch, **config):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    return create_app({"TESTING": True, "SECRET_KEY": "s", "RATELIMIT_ENABLED": False,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'h.sqlite'}", **config})


def test_hsts_behind_a_trusted_proxy_follows_x_forwarded_proto(tmp_path, monkeypatch):
    client = _app(tmp_path, monkeypatch, TRUSTED_PROXIES=1).test_client()
    response = client.get("/auth/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"})
    assert response.headers["Strict-Transport-Security"] == HSTS
    assert "Strict-Transport-Security" not in client.get("/auth/login", headers={"X-Forwarded-Proto": "http"}).headers


def test_an_untrusted_x_forwarded_proto_gives_no_hsts(tmp_path, monkeypatch):
    client = _app(tmp_path, monkeypatch).test_client()
    assert "Strict-Transport-Security" not in client.get("/auth/login", headers={"X-Forwarded-Proto": "https"}).headers


# --- caching --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role,url", [
    (Role.ORGANIZER, "/organizer/"), (Role.ORGANIZER, "/organizer/users"), (Role.FIRM, "/firm/needs"),
    (Role.TEAM, "/team/"), (Role.JUDGE, "/judge/"), (Role.FIRM, "/"), (Role.FIRM, "/needs"),
    (Role.FIRM, "/auth/password"), (Role.FIRM, "/no/such/page"), (Role.FIRM, "/organizer/"),
])
def test_every_response_to_a_logged_in_user_is_private_no_store(client, make_user, login, role, url):
    login(make_user(role))
    response = client.get(url)
    assert response.headers["Cache-Control"] == "private, no-store", (url, response.status_code)


def test_the_login_redirect_already_is_private(client, make_user, db):
    user = make_user(Role.FIRM)
    db.session.commit()
    from .conftest import PASSWORD

    response = client.post("/auth/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Cache-Control"] == "private, no-store"


def test_public_pages_for_anonymous_visitors_may_be_cached(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


@pytest.mark.parametrize("url", ["/_test/streamed", "/_test/attachment"])
def test_every_download_is_private_no_store_even_for_anonymous_visitors(routes, client, url):
    response = client.get(url)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    assert "Expires" not in response.headers


def test_static_assets_stay_cacheable(client, make_user, login):
    login(make_user(Role.FIRM))
    response = client.get("/static/css/contest.css")
    assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", "")


# --- no inline script ---------------------------------------------------------------------------------------

JINJA = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.S)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S)
JS_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)


def html_of(template: Path) -> str:
    """The template's HTML with the Jinja tags taken out (a macro argument such as `online=True` is no handler)."""
    return JINJA.sub(" ", template.read_text(encoding="utf-8"))


def test_the_checks_catch_what_they_look_for():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>') and not INLINE_SCRIPT.search('<script src="/a.js">')
    assert EVENT_HANDLER.search('<img src="x" onerror="alert(1)">')
    assert EVENT_HANDLER.search('<button\n  class="btn" onclick = "go()">')
    assert not EVENT_HANDLER.search(JINJA.sub(" ", "<td>{{ decided_by(rank, online=True) }}</td>"))
    assert JS_URL.search('<a href="javascript:void(0)">')


def test_no_inline_script_or_event_handler_in_any_template():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 30
    offenders = []
    for template in templates:
        html = html_of(template)
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL):
            for match in pattern.finditer(html):
                offenders.append(f"{template.relative_to(TEMPLATES)}: {match.group(0)[:80]}")
    assert offenders == []


def test_rendered_pages_load_scripts_only_from_files(client, make_user, login):
    pages = [client.get("/").get_data(as_text=True), client.get("/auth/login").get_data(as_text=True)]
    login(make_user(Role.ORGANIZER))
    pages += [client.get(url).get_data(as_text=True) for url in ("/organizer/", "/organizer/users", "/auth/password")]
    for html in pages:
        assert "<script" in html  # Bootstrap's bundle, from this site
        assert not INLINE_SCRIPT.search(html) and not EVENT_HANDLER.search(html) and not JS_URL.search(html)
        for src in re.findall(r'<script[^>]*\bsrc="([^"]+)"', html):
            assert src.startswith("/"), src
