"""Alembic builds exactly the models' schema, and goes back down to nothing, on SQLite and PostgreSQL."""
from itertools import count

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from contest import create_app
from contest.extensions import db

from . import postgres

_databases = count(1)


@pytest.fixture(scope="module")
def pg_cluster():
    with postgres.cluster() as create_database:
        yield create_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_app(request, tmp_path, monkeypatch):
    monkeypatch.setenv("CONTEST_INSTANCE", str(tmp_path))
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    else:
        url = request.getfixturevalue("pg_cluster")(f"migrations_{next(_databases)}")
    app = create_app({"TESTING": True, "SECRET_KEY": "m", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False})
        return compare_metadata(context, db.metadata)


def test_init_db_builds_exactly_the_models_schema(empty_app):
    upgrade()
    assert _differences() == []


def test_downgrade_to_base_leaves_no_table(empty_app):
    upgrade()
    downgrade(revision="base")
    tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade()  # and back up again
    assert _differences() == []
