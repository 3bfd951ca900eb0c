"""The gunicorn server tests/test_crash_atomicity.py kills workers of, and how the tests look at it from outside:
its worker's pid and sockets (/proc), its storage directory, its database's locks, a logged-in browser."""
from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from tests import crash_world
from tests.conftest import PASSWORD
from tests.gunicorn_server import wait_until



class Server:
    """The gunicorn master, its one worker, the storage directory and the database they use."""

    def __init__(self, process: subprocess.Popen, port: int, storage: Path, url: str, world: crash_world.World,
                 log: Path):
        self.process, self.port, self.storage, self.world, self.log = process, port, storage, world, log
        self.base = f"http://127.0.0.1:{port}"
        self.engine = sa.create_engine(url, poolclass=sa.pool.NullPool)

    def workers(self) -> list[int]:
        """The master's children (the worker), read from /proc."""
        pids: list[int] = []
        for path in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            pids += [int(p) for p in path.read_text().split()]
        return pids

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    def worker(self) -> int:
        """The one worker's pid, once it answers."""
        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {self.log.read_text(errors='replace')[-3000:]}")
            pids = self.workers()
            return pids[0] if len(pids) == 1 and self.healthy() else None
        return wait_until(ready, "a gunicorn worker answering")

    def kill_worker(self, pid: int) -> int:
        """SIGKILL the worker; return the pid of the one the master starts instead, once it answers."""
        os.kill(pid, signal.SIGKILL)
        return wait_until(lambda: (p := self.worker()) != pid and p, "a new worker after the SIGKILL")

    def stored_files(self) -> list[str]:
        """Files as `check` counts them: everything in the storage directory but its tmp/ folder."""
        root = self.storage / "uploads"
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()
                      and p.relative_to(root).parts[0] != "tmp")

    def temp_files(self) -> list[str]:
        folder = self.storage / "uploads" / "tmp"
        return sorted(p.name for p in folder.iterdir()) if folder.exists() else []

    def scalar(self, sql: str, **params):
        with self.engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar()


class Browser:
    """A logged-in user: one cookie jar; pages through urllib, raw requests through a socket."""

    def __init__(self, server: Server, username: str):
        self.server, self.jar = server, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.get("/auth/login")[1]
        status, _ = self.post("/auth/login", {**hidden_fields(page), "username": username, "password": PASSWORD})
        assert status == 200 and "/auth/login" not in self.url, "log-in failed"

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.server.base + path))

    def post(self, path: str, data: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.server.base + path, data=body, method="POST"))

    def post_body(self, path: str, content_type: str, body: bytes) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.server.base + path, data=body, method="POST",
                                                 headers={"Content-Type": content_type}))

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                self.url = response.geturl()
                return response.status, response.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def raw_post(self, path: str, content_type: str, body: bytes, send: int | None = None) -> socket.socket:
        """Open a connection and send a POST's head and the first `send` bytes of its body (all by default)."""
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.server.port}\r\nCookie: {cookies}\r\n"
                f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n")
        conn = socket.create_connection(("127.0.0.1", self.server.port), timeout=60)
        conn.sendall(head.encode() + body[:send])
        return conn


def hidden_fields(page: str) -> dict:
    """The hidden inputs of a page's form (the CSRF token, the form's submission key ...)."""
    fields = {}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", page):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def multipart(fields: dict, pdf: bytes) -> tuple[str, bytes]:
    boundary = "----contest-crash-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="pdf"; filename="report.pdf"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + pdf + b"\r\n")
    return f"multipart/form-data; boundary={boundary}", b"".join(parts) + f"--{boundary}--\r\n".encode()


def holding(server: Server, pid: int, conn: socket.socket) -> bool:
    """Whether the worker has accepted the connection and read every byte sent so far (from /proc)."""
    client_port = conn.getsockname()[1]
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        cols = line.split()
        local, remote = int(cols[1].split(":")[1], 16), int(cols[2].split(":")[1], 16)
        if (local, remote) == (server.port, client_port):
            unread, inode = int(cols[4].split(":")[1], 16), cols[9]
            fds = Path(f"/proc/{pid}/fd")
            held = any(os.readlink(fd) == f"socket:[{inode}]" for fd in fds.iterdir() if fd.is_symlink())
            return held and unread == 0
    return False


def waiting_on(server: Server, table: str) -> int | None:
    """The pid of the database backend waiting for a lock on the table, if one is."""
    return server.scalar("SELECT pid FROM pg_locks WHERE NOT granted AND relation = CAST(:t AS regclass)", t=table)


def backend_gone(server: Server, pid: int) -> bool:
    return not server.scalar("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid", pid=pid)


@contextmanager
def locked(server: Server, table: str):
    """Hold an EXCLUSIVE lock on the table (reads go on, writes wait) until the block ends."""
    with server.engine.connect() as conn:
        conn.execute(sa.text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))
        try:
            yield
        finally:
            conn.rollback()
