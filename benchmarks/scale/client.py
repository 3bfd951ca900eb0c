"""The benchmark's HTTP client (plain http.client): a logged-in session, timed samples of a page, and a page's
throughput with several threads for a few seconds."""
from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

TIMEOUT = 65          # seconds: gunicorn kills a worker after 60
DROPPED_MS = 5_000    # no answer sooner than this: the connection was dropped, not timed out
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class Answer:
    status: int                 # 0: no answer (timeout, connection reset)
    client_ms: float
    server_ms: float | None     # X-Server-Ms
    statements: int | None      # X-SQL-Statements
    body: bytes = b""
    error: str = ""


class Session:
    """Cookies kept across requests, one connection per request (gunicorn's sync workers close them)."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, form: dict | None = None, timeout: float = TIMEOUT) -> Answer:
        """The answer; a connection dropped at once (a worker recycled by max_requests as it took the request)
        is tried again once, a timeout is not."""
        answer = self._request(method, path, form, timeout)
        if answer.status == 0 and answer.client_ms < DROPPED_MS:
            answer = self._request(method, path, form, timeout)
        return answer

    def _request(self, method: str, path: str, form: dict | None, timeout: float) -> Answer:
        headers = {"Cookie": self.cookie_header()} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as e:
            return Answer(0, (time.perf_counter() - started) * 1000, None, None, error=type(e).__name__)
        finally:
            connection.close()
        for raw in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(raw).items():
                self.cookies[name] = morsel.value
        server = response.getheader("X-Server-Ms")
        statements = response.getheader("X-SQL-Statements")
        return Answer(response.status, (time.perf_counter() - started) * 1000, float(server) if server else None,
                      int(statements) if statements else None, content)

    def login(self, username: str, password: str) -> None:
        """Through the real log-in form, with its CSRF token."""
        page = self.request("GET", "/auth/login")
        token = CSRF.search(page.body.decode("utf-8", "replace"))
        if page.status != 200 or token is None:
            raise RuntimeError(f"log-in form: status {page.status}")
        done = self.request("POST", "/auth/login", {"csrf_token": token[1], "username": username,
                                                    "password": password})
        if done.status != 302:
            raise RuntimeError(f"log-in as {username} refused (status {done.status})")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


WARM_MS = 5000   # a page answering faster than this is first requested twice (a template compiled per worker)


def sample(session: Session, path: str, count: int, budget: float) -> dict:
    """Up to `count` requests one after the other (fewer once `budget` seconds are spent, at least 3 unless a
    request fails), after two warm-up requests for a page faster than WARM_MS: the status, median and p95
    server time, statements per request."""
    answers: list[Answer] = []
    first = session.request("GET", path)
    if first.status == 200 and first.client_ms < WARM_MS:
        first = session.request("GET", path)
    if first.status != 200 or first.client_ms >= WARM_MS:
        answers.append(first)   # a slow page's first answer counts: it will not get faster
    started = time.monotonic()
    while len(answers) < count and all(a.status == 200 for a in answers):
        answers.append(session.request("GET", path))
        if len(answers) >= 3 and time.monotonic() - started > budget:
            break
    failed = next((a for a in answers if a.status != 200), None)
    if failed is not None:
        timed_out = failed.status == 0 or failed.client_ms > 60_000
        return {"ok": False, "status": failed.status, "error": "timeout" if timed_out else f"HTTP {failed.status}",
                "client_ms": failed.client_ms}
    times = [a.server_ms if a.server_ms is not None else a.client_ms for a in answers]
    return {"ok": True, "status": 200, "samples": len(answers), "median_ms": statistics.median(times),
            "p95_ms": percentile(times, 95), "statements": answers[-1].statements,
            "bytes": len(answers[-1].body)}


def throughput(base: str, cookies: dict[str, str], path: str, threads: int, seconds: float) -> dict:
    """Requests completed per second by `threads` clients sending one request after another for `seconds`."""
    deadline = time.monotonic() + seconds
    done, failed = [0], [0]
    lock = threading.Lock()

    def client() -> None:
        session = Session(base)
        session.cookies = dict(cookies)
        while time.monotonic() < deadline:
            answer = session.request("GET", path)
            with lock:
                if time.monotonic() <= deadline:
                    (done if answer.status == 200 else failed)[0] += 1

    workers = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(TIMEOUT + seconds)
    return {"per_second": done[0] / seconds, "completed": done[0], "failed": failed[0]}
