"""Two gunicorn servers over one PostgreSQL database, with Redis for the log-in limits.

The servers are real processes on loopback ports, started with `make serve`'s gunicorn.conf.py; the browser is
one urllib opener with one cookie jar (cookies are per host, not per port, as behind a load balancer).
"""
from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack, contextmanager

import pytest

from tests.gunicorn_server import BIN, ROOT, gunicorn, wait_until
from tests.postgres import _free_port, cluster

DEMO_PASSWORD = "demo-pass-2024"  # contest.demo.seed.PASSWORD


@contextmanager
def _redis():
    """A throwaway Redis server (Debian's redis-server) without persistence; yields its URL."""
    port = _free_port()
    process = subprocess.Popen([shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port),
                                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis

        wait_until(lambda: redis.Redis(port=port).ping(), "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Two servers sharing the database, SECRET_KEY, storage directory and Redis; the demo data loaded."""
    tmp = tmp_path_factory.mktemp("servers")
    instance = tmp / "instance"
    instance.mkdir()
    # Read by both servers: the shared secret, and a low log-in limit so the test reaches it quickly.
    (instance / "config.py").write_text('SECRET_KEY = "shared-secret-of-both-servers"\nLOGIN_RATE_LIMIT = "3/minute"\n')
    with ExitStack() as stack:
        url = stack.enter_context(cluster())("servers")
        redis_url = stack.enter_context(_redis())
        env = {**os.environ, "DATABASE_URL": url, "CONTEST_INSTANCE": str(instance), "STORAGE_DIR": str(tmp / "storage"),
               "RATELIMIT_STORAGE_URI": redis_url, "TRUSTED_PROXIES": "1"}
        env.pop("SECRET_KEY", None)
        for command in ("init-db", "seed-demo"):
            done = subprocess.run([str(BIN / "flask"), "--app", "contest", command], cwd=ROOT, env=env,
                                  capture_output=True, text=True)
            assert done.returncode == 0, done.stderr[-3000:]
        _, first = stack.enter_context(gunicorn(env, tmp / "first.log"))
        _, second = stack.enter_context(gunicorn(env, tmp / "second.log"))
        yield first, second


class Browser:
    """One browser: one cookie jar across both servers; errors are answers, not exceptions. The servers trust one
    proxy (TRUSTED_PROXIES=1), so each browser has its own client address through X-Forwarded-For."""

    def __init__(self, address: str = "203.0.113.10"):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.opener.addheaders = [("X-Forwarded-For", address)]

    def get(self, url: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(url))

    def post(self, url: str, data: dict) -> tuple[int, str]:
        return self._open(urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST"))

    def post_file(self, url: str, data: dict, field: str, filename: str, content: bytes) -> tuple[int, str]:
        """A multipart/form-data POST, as a browser sends a form with a file."""
        boundary = "----contest-test-boundary"
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                 for name, value in data.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                     f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self._open(urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}"}))

    def download(self, url: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                self.url = response.geturl()  # where the redirects ended
                return response.status, response.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def log_in(browser: Browser, base: str, username: str, password: str) -> tuple[int, str]:
    status, page = browser.get(base + "/auth/login")
    assert status == 200
    return browser.post(base + "/auth/login", {"csrf_token": csrf_token(page), "username": username,
                                              "password": password})


def test_a_session_started_on_one_server_goes_on_on_the_other(servers):
    first, second = servers
    browser = Browser()
    browser.get(second + "/firm/needs")
    assert "/auth/login" in browser.url  # anonymous: sent to the log-in page
    status, page = log_in(browser, first, "firm1", DEMO_PASSWORD)
    assert status == 200 and "张伟" in page  # followed the redirect to the firm's home, on the first server
    status, page = browser.get(second + "/firm/needs")
    assert status == 200 and "张伟" in page and browser.url == second + "/firm/needs"


def test_a_need_saved_through_one_server_is_seen_on_the_other(servers):
    first, second = servers
    browser = Browser()
    assert log_in(browser, first, "firm2", DEMO_PASSWORD)[0] == 200
    status, form = browser.get(first + "/firm/needs/new")
    assert status == 200
    edition = re.search(r'<select[^>]*name="edition"[^>]*>.*?<option[^>]*value="(\d+)"', form, re.S)
    assert edition, "no edition collecting needs in the demo"
    status, page = browser.post(first + "/firm/needs/new", {
        "csrf_token": csrf_token(form), "edition": edition.group(1), "name": "两台服务器共享的测试需求",
        "category": "firm_specific", "field": "electronic_info", "industry": "汽车零部件", "keywords": "机器视觉",
        "problem": "人工目检漏检率高。", "key_points": "检测节拍不大于 1 秒/件。", "goals": "形成可部署的在线检测系统。",
        "budget_wan": "120.00", "period_start": "2027-06-01", "period_end": "2028-05-31",
        "cooperation": "commissioned", "market_id": "2", "save": "保存草稿"})
    assert status == 200 and "两台服务器共享的测试需求" in page
    status, page = browser.get(second + "/firm/needs")
    assert status == 200 and "两台服务器共享的测试需求" in page


def test_a_bid_sent_to_one_server_is_seen_and_downloaded_on_the_other(servers):
    from tests.conftest import PDF

    first, second = servers
    browser = Browser("203.0.113.20")
    assert log_in(browser, first, "team8", DEMO_PASSWORD)[0] == 200
    status, catalogue = browser.get(first + "/needs")
    assert status == 200
    for need_id in dict.fromkeys(re.findall(r'href="/needs/(\d+)"', catalogue)):
        status, form = browser.get(f"{first}/team/needs/{need_id}/bid")
        if status == 200 and 'name="approach"' in form and "/edit" not in browser.url:
            break
    else:
        raise AssertionError("no need in the demo open for a new bid by team8")
    report = PDF
    status, page = browser.post_file(f"{first}/team/needs/{need_id}/bid", {
        "csrf_token": csrf_token(form), "approach": "两台服务器之间的挑战报告：多光谱成像检测路线。",
        "innovation": "小样本缺陷学习。", "indicators": "漏检率 < 0.1%。", "plan": "第 1-3 月样机。",
        "price_wan": "95.00", "duration_months": "10", "declaration_accepted": "y", "submit_report": "提交挑战报告",
    }, "pdf", "跨服务器报告.pdf", report)
    assert status == 200 and "两台服务器之间的挑战报告" in page, re.findall(r"(?:invalid-feedback|alert)[^>]*>\s*([^<]+)", page)
    bid_url = urllib.parse.urlsplit(browser.url).path
    assert re.fullmatch(r"/team/bids/\d+", bid_url)
    # The other server finds the bid in the shared database and its file in the shared storage directory.
    status, page = browser.get(second + bid_url)
    assert status == 200 and "两台服务器之间的挑战报告" in page and "跨服务器报告.pdf" in page
    status, content = browser.download(second + bid_url + "/file")
    assert status == 200 and content == report


def test_a_login_limit_hit_on_one_server_holds_on_the_other(servers):
    first, second = servers
    browser = Browser("203.0.113.99")
    for _ in range(3):  # LOGIN_RATE_LIMIT is 3/minute in this instance's config
        assert log_in(browser, first, "firm3", "wrong-password")[0] == 401
    assert log_in(browser, first, "firm3", "wrong-password")[0] == 429
    # Redis holds the count: the other server refuses too, even the right password.
    status, page = log_in(browser, second, "firm3", DEMO_PASSWORD)
    assert status == 429 and "尝试过于频繁" in page
    # Another account from another address is not held back.
    assert log_in(Browser("198.51.100.7"), second, "firm4", DEMO_PASSWORD)[0] == 200
