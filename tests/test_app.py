"""Configuration, start-up safety, error pages and security headers."""
import pytest

from contest import InsecureSecretKey, create_app


def test_refuses_default_secret_key_outside_debug(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(InsecureSecretKey, match="SECRET_KEY"):
        create_app()


def test_debug_and_testing_may_use_the_default_key(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert create_app({"TESTING": True}).testing
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert create_app().debug


def test_defaults_to_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "from-env")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'contest.sqlite'}"
    assert app.config["SECRET_KEY"] == "from-env"


def test_instance_config_then_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path))
    (tmp_path / "config.py").write_text('SECRET_KEY = "from-file"\nPAGE_SIZE = 7\n')
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-file" and app.config["PAGE_SIZE"] == 7
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@127.0.0.1:1/x")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1:1/x"


def test_the_open_apis_origins_and_rate_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("API_CORS_ORIGINS", "https://haishu.example.cn, https://beilun.example.cn")
    monkeypatch.setenv("API_RATE_LIMIT", "30/minute")
    app = create_app()
    assert app.config["API_CORS_ORIGINS"] == ["https://haishu.example.cn", "https://beilun.example.cn"]
    assert app.config["API_RATE_LIMIT"] == "30/minute"
    client = app.test_client()
    answer = client.get("/api/v1/markets", headers={"Origin": "https://beilun.example.cn"})
    assert answer.headers.get("Access-Control-Allow-Origin") == "https://beilun.example.cn"


def test_wsgi_exposes_app(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    import importlib
    import sys

    sys.modules.pop("wsgi", None)
    wsgi = importlib.import_module("wsgi")
    assert wsgi.app.name == "contest"


def test_404_page_in_site_style(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404
    html = r.get_data(as_text=True)
    assert "页面不存在" in html and 'lang="zh-CN"' in html and "navbar" in html


def test_404_as_json_for_api_clients(client):
    r = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.get_json()["error"] == "页面不存在"


def test_500_page(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    r = client.get("/boom")
    assert r.status_code == 500 and "服务器错误" in r.get_data(as_text=True)


def test_security_headers_and_local_assets(client):
    r = client.get("/auth/login")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    html = r.get_data(as_text=True)
    assert "/bootstrap/static/css/bootstrap.min.css" in html or "bootstrap5/css/bootstrap.min.css" in html
    assert "cdn." not in html and "https://" not in html


def test_bootstrap_served_locally(client):
    html = client.get("/auth/login").get_data(as_text=True)
    import re

    for href in re.findall(r'(?:href|src)="(/[^"]+\.(?:css|js))"', html):
        assert client.get(href).status_code == 200, href


def test_english_is_available(client):
    r = client.get("/auth/login?lang=en")
    assert 'lang="en"' in r.get_data(as_text=True)
    # remembered for the session
    assert 'lang="en"' in client.get("/auth/login").get_data(as_text=True)


def test_a_race_caught_by_the_database_is_a_409_and_saves_nothing(app, client, db, make_bid):
    """Two requests passing the service's check at once: the unique index refuses the second."""
    from contest.models import Bid

    bid = make_bid()
    db.session.commit()
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.post("/race")
    def race():
        twin = Bid(need_id=bid.need_id, team_id=bid.team_id, status=bid.status, approach="x", innovation="x",
                   indicators="x", plan="x", price_wan=bid.price_wan, duration_months=1,
                   declaration_accepted=True, pdf_stored_name="twin.pdf")
        db.session.add(twin)
        db.session.commit()
        return "saved"

    r = client.post("/race")
    assert r.status_code == 409 and "未做任何修改" in r.get_data(as_text=True)
    import sqlalchemy as sa
    assert db.session.scalar(sa.select(sa.func.count(Bid.id))) == 1
