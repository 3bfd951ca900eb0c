"""A throwaway PostgreSQL cluster for the tests that must run on PostgreSQL."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name)]
    if not found or not found[-1]:
        raise RuntimeError(f"PostgreSQL's {name} is not installed: run `make test` as root to install it")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    # initdb refuses to run as root; as root, run the server as the postgres user.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Cluster:
    """A running cluster: create, drop and address its databases."""

    def __init__(self, folder: str, port: int):
        self.folder, self.port = folder, port
        self.user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{name}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        subprocess.run([_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", database,
                        "-v", "ON_ERROR_STOP=1", "-q", "-c", statement], check=True, capture_output=True)

    def create(self, name: str, template: str | None = None) -> str:
        self.sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def drop(self, name: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    __call__ = create  # `create_database(name, template=None)` for the tests that only need that


@contextmanager
def cluster():
    """Start a cluster in a temporary folder; yield it (calling it creates a database and returns its URL)."""
    folder = tempfile.mkdtemp(prefix="contest-pg-")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = _free_port()
    subprocess.run(_as_postgres([_bin("initdb"), "-D", folder, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                   check=True, capture_output=True)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    # -l: the server must not inherit our pipes, or waiting for pg_ctl's output never ends.
    subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", folder, "-w", "-l", f"{folder}/server.log", "-o", options,
                                 "start"]), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield Cluster(folder, port)
    finally:
        subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", folder, "-m", "immediate", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)
