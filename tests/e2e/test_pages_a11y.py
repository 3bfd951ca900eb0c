"""The main pages in a real browser: a title, lang="zh-CN", a label for every field, no sideways scrolling on a phone."""
from __future__ import annotations

import pytest

from .live import DEMO_PASSWORD, login
from .pages import demo_pages

PHONE_WIDTH = 390

# Visible form fields without a label: <label for>, a wrapping <label>, aria-label or aria-labelledby.
UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea')).filter(el => {
  if (['hidden', 'submit', 'button', 'reset', 'image'].includes((el.type || '').toLowerCase())) return false;
  if (!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)) return false;
  if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
  if (el.closest('label')) return false;
  return !(el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]'));
}).map(el => el.outerHTML.slice(0, 160))"""


@pytest.fixture(scope="module")
def pages(demo_server):
    app, url = demo_server
    return url, demo_pages(app)


def _visit(page, url, user, path):
    if user:
        login(page, url, user, DEMO_PASSWORD)
    else:
        page.context.clear_cookies()
    response = page.goto(url + path)
    assert response.status == 200, f"{path}: {response.status}"


def test_every_main_page_has_a_title_lang_and_labelled_fields(page, pages):
    url, items = pages
    problems = []
    for name, user, path in items:
        _visit(page, url, user, path)
        if not page.title().strip():
            problems.append(f"{name} {path}: empty <title>")
        lang = page.evaluate("document.documentElement.lang")
        if lang != "zh-CN":
            problems.append(f"{name} {path}: html lang={lang!r}")
        for field in page.evaluate(UNLABELLED):
            problems.append(f"{name} {path}: field without a label: {field}")
    assert not problems, "\n".join(problems)
    assert len(items) >= 15


def test_no_page_scrolls_sideways_on_a_phone(page, pages):
    url, items = pages
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    too_wide = []
    for name, user, path in items:
        _visit(page, url, user, path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            too_wide.append(f"{name} {path}: {width}px")
    assert not too_wide, "pages wider than a phone:\n" + "\n".join(too_wide)
