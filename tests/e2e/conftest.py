"""Browser tests: the app served for real (werkzeug, a thread), driven by Debian's Chromium via Playwright."""
from __future__ import annotations

from pathlib import Path

import pytest

from .live import LAUNCH_ARGS, served_demo

RESULTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless, never a downloaded browser."""
    return {**browser_type_launch_args, **LAUNCH_ARGS}


@pytest.fixture(scope="session")
def base_url():
    """No global base URL: each test serves its own app and navigates with that server's URL."""
    return None


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory, databases):
    """The demo data (`flask seed-demo`) served on a free port: (app, base URL)."""
    with served_demo(tmp_path_factory, databases, "e2e-demo") as served:
        yield served


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed browser test keep a screenshot and the page's HTML in test-results/ and say where."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when != "call" or not report.failed or page is None:
        return
    RESULTS.mkdir(exist_ok=True)
    stem = RESULTS / item.name.replace("/", "_").replace("[", "_").replace("]", "")
    try:
        page.screenshot(path=f"{stem}.png", full_page=True)
        Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
        report.sections.append(("browser", f"page at {page.url}: {stem}.png, {stem}.html"))
        print(f"\nbrowser failure kept: {stem}.png {stem}.html (page {page.url})")
    except Exception as e:  # the browser may be gone; the failure itself matters more
        report.sections.append(("browser", f"could not keep the page: {e}"))
