"""Faults: the database going away mid-run and coming back; settings that cannot work stop the app at start."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from contest import MisconfiguredSetting, create_app
from contest.domain.states import Role
from contest.extensions import db
from tests.postgres import _as_postgres, _bin, cluster

PASSWORD = "a-long-test-password-1"


def _pg_ctl(folder: str, port: int, action: str) -> None:
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", folder, "-w", "-l", f"{folder}/server.log", "-o", options,
                                 "-m", "fast", action]), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


@pytest.fixture
def pg_app(tmp_path, monkeypatch):
    """The app on a throwaway PostgreSQL cluster (migrated), with a firm user; yields (app, stop, start)."""
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with cluster() as create_database:
        url = create_database("faults")
        app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": url, "STORAGE_DIR": str(tmp_path / "storage"),
                          "RATELIMIT_ENABLED": False})
        with app.app_context():
            upgrade()
            from contest.services.accounts import create_user

            create_user(None, role=Role.ORGANIZER, username="boss", password=PASSWORD, display_name="王组织")
            db.session.commit()
            folder = db.session.scalar(sa.text("SHOW data_directory"))
            port = db.engine.url.port
            db.session.remove()
        yield app, (lambda: _pg_ctl(folder, port, "stop")), (lambda: _pg_ctl(folder, port, "start"))
        with app.app_context():
            db.engine.dispose()


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_database_going_away_gives_503_and_both_recover_when_it_returns(pg_app):
    app, stop, start = pg_app
    client = app.test_client()
    assert client.post("/auth/login", data={"username": "boss", "password": PASSWORD}).status_code == 302
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200
    stop()
    try:
        health = client.get("/healthz")
        assert health.status_code == 503 and health.get_json()["database"] == "down"
        for page in ("/", "/organizer/"):  # public, and signed in (the user cannot be loaded either)
            response = client.get(page)
            assert response.status_code == 503, page
            assert "服务暂时不可用" in text(response) and 'href="/static/' in text(response)  # the site's style
            assert response.headers["Retry-After"] == "30"
        api = client.get("/", headers={"Accept": "application/json"})
        assert api.status_code == 503 and api.get_json()["error"] == "服务暂时不可用"
    finally:
        start()
    # No restart of the app: the pool's pre-ping replaces the dead connections.
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200
    response = client.get("/organizer/")
    assert response.status_code == 200 and "王组织" in text(response)  # still signed in


@pytest.fixture
def clean_env(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path / "instance"))
    for name in ("DATABASE_URL", "STORAGE_DIR"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("url, says", [
    ("not a database url", "DATABASE_URL cannot be parsed"),
    ("postgresql+psycopg://user@host:notaport/contest", "DATABASE_URL cannot be parsed"),
    ("nosuchdatabase://user@host/contest", "DATABASE_URL names a database driver that is not available"),
])
def test_a_database_url_that_cannot_work_stops_the_app_at_start(clean_env, url, says):
    clean_env.setenv("DATABASE_URL", url)
    with pytest.raises(MisconfiguredSetting, match=says):
        create_app({"TESTING": True})


def test_a_database_url_with_a_password_is_not_repeated_in_the_message(clean_env):
    clean_env.setenv("DATABASE_URL", "postgresql+psycopg://contest:s3cret-pw@db:port/contest")
    with pytest.raises(MisconfiguredSetting, match="DATABASE_URL") as raised:
        create_app({"TESTING": True})
    assert "s3cret-pw" not in str(raised.value)


def test_a_storage_directory_that_cannot_be_created_stops_the_app_at_start(clean_env, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    clean_env.setenv("STORAGE_DIR", str(blocker / "storage"))
    with pytest.raises(MisconfiguredSetting, match="STORAGE_DIR") as raised:
        create_app({"TESTING": True})
    assert str(blocker / "storage") in str(raised.value)


def test_uploads_and_contract_scans_go_under_the_storage_directory(clean_env, tmp_path):
    clean_env.setenv("STORAGE_DIR", str(tmp_path / "shared"))
    app = create_app({"TESTING": True})
    assert Path(app.config["UPLOAD_FOLDER"]) == tmp_path / "shared" / "uploads"
    assert (tmp_path / "shared" / "uploads").is_dir()
    with app.test_request_context():
        from contest.services.contracts.followup import scan_folder

        assert scan_folder().parent == tmp_path / "shared" / "uploads"


def test_without_a_storage_directory_the_instance_folder_is_used(clean_env, tmp_path):
    app = create_app({"TESTING": True})
    assert Path(app.config["UPLOAD_FOLDER"]) == tmp_path / "instance" / "uploads"
