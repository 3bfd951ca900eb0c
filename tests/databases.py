"""The test databases: SQLite files by default, or PostgreSQL with CONTEST_TEST_DB=postgresql.

`make test` runs the suite twice, once on each. Every app the tests build takes its database from here:
- `fresh(folder)`: an empty database migrated to head, of its own (module-scoped apps, servers);
- `per_test(folder)` / `reset(url)`: the database of one test's app, emptied after it (on PostgreSQL one
  database is truncated between tests: cloning one per test would cost half a second each);
- `snapshot(url, folder)` / `restore(url, snap)`: put a database back as it was.
"""
from __future__ import annotations

import shutil
from datetime import datetime
import tempfile
from itertools import count
from pathlib import Path

import sqlalchemy as sa


def migrate(url: str) -> None:
    from flask_migrate import upgrade

    from contest import create_app
    from contest.extensions import db

    with tempfile.TemporaryDirectory() as storage:  # not the developer's instance/ (its start-up sweep)
        app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url,
                          "UPLOAD_FOLDER": storage})
        with app.app_context():
            upgrade()
            db.engine.dispose()


def reseed_markets(conn) -> None:
    """Put back the markets the migration seeds (a truncation empties every table)."""
    from contest.domain.markets import seed_markets
    from contest.models import Market

    conn.execute(sa.insert(Market), [{**row, "created_at": datetime(2026, 12, 4)} for row in seed_markets()])


class SqliteDatabases:
    kind = "sqlite"

    def __init__(self, template: Path):
        self.template = template

    def fresh(self, folder: Path) -> str:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "contest.sqlite"
        shutil.copy(self.template, path)
        return f"sqlite:///{path}"

    per_test = fresh

    def reset(self, url: str) -> None:
        """Nothing to do: each test has its own file."""

    def snapshot(self, url: str, folder: Path):
        copy = folder / "snapshot.sqlite"
        shutil.copyfile(url.removeprefix("sqlite:///"), copy)
        return copy

    def restore(self, url: str, snap) -> None:
        shutil.copyfile(snap, url.removeprefix("sqlite:///"))


class PostgresDatabases:
    kind = "postgresql"

    def __init__(self, cluster):
        self.cluster = cluster
        self._names = count(1)
        self.cluster.create("contest_template")
        migrate(self.cluster.url("contest_template"))
        self.shared = self.cluster.create("contest_test", template="contest_template")
        engine = sa.create_engine(self.shared, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            tables = [name for name in sa.inspect(conn).get_table_names() if name != "alembic_version"]
        self._truncate = sa.text("SET lock_timeout = '20s'; TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                                 + " RESTART IDENTITY CASCADE")
        self._engine = engine

    @staticmethod
    def _name(url: str) -> str:
        return url.rsplit("/", 1)[1]

    def fresh(self, folder: Path) -> str:
        return self.cluster.create(f"contest_{next(self._names)}", template="contest_template")

    def per_test(self, folder: Path) -> str:
        return self.shared

    def reset(self, url: str) -> None:
        if url == self.shared:
            with self._engine.begin() as conn:
                conn.execute(self._truncate)
                reseed_markets(conn)

    def snapshot(self, url: str, folder: Path):
        name = f"snapshot_{next(self._names)}"
        self.cluster.sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         f"WHERE datname = '{self._name(url)}' AND pid <> pg_backend_pid()")
        self.cluster.create(name, template=self._name(url))
        return name

    def restore(self, url: str, snap) -> None:
        self.cluster.drop(self._name(url))
        self.cluster.create(self._name(url), template=snap)
