"""The main pages in a real browser, in Chinese and in English, at 1,280 and 390 px: a title, the language on
<html>, a label for every field, no sideways scrolling on a phone, and no WCAG 2.0/2.1 A or AA violation that
axe-core finds; the navbar fits (or folds into its menu) at 992 and 1,280 px for the widest menus."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .live import DEMO_PASSWORD, login
from .pages import demo_pages

# What the pages look like does not depend on the database: the PostgreSQL pass of `make test` skips nothing
# but deselects these (pytest.ini, Makefile).
pytestmark = pytest.mark.rendering

PHONE_WIDTH = 390
WIDTHS = (1280, PHONE_WIDTH)
LANGUAGES = {"zh_CN": "zh-CN", "en": "en"}  # ?lang= → <html lang>
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}

# Visible form fields without a label: <label for>, a wrapping <label>, aria-label or aria-labelledby.
UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea')).filter(el => {
  if (['hidden', 'submit', 'button', 'reset', 'image'].includes((el.type || '').toLowerCase())) return false;
  if (!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)) return false;
  if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
  if (el.closest('label')) return false;
  return !(el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]'));
}).map(el => el.outerHTML.slice(0, 160))"""

# Charts (an <svg role="img">) without their data as a table named as their description.
CHARTS_WITHOUT_TABLE = """() => Array.from(document.querySelectorAll('svg[role="img"]')).filter(svg => {
  const table = document.getElementById(svg.getAttribute('aria-describedby') || '');
  return !(table && table.tagName === 'TABLE' && table.querySelectorAll('tbody tr').length);
}).map(svg => svg.getAttribute('data-chart') || svg.outerHTML.slice(0, 80))"""

# The focused element: what it is and whether it shows a ring a sighted keyboard user can see.
FOCUSED = """() => { const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
  return {id: el.id, tag: el.tagName, text: el.textContent.trim(), href: el.getAttribute('href'),
          ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          shown: box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0}; }"""

# The navbar's visible links, texts and buttons that reach past the window's right edge.
NAV_OVERFLOW = """() => Array.from(document.querySelectorAll(
    '.navbar .navbar-brand, .navbar .nav-link, .navbar .navbar-text, .navbar .navbar-toggler, .navbar .dropdown-item'))
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .map(el => `${el.textContent.trim()} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`)"""


@pytest.fixture(scope="module")
def pages(demo_server):
    app, url = demo_server
    return url, demo_pages(app)


def _in(path: str, language: str) -> str:
    return path + ("&" if "?" in path else "?") + "lang=" + language


class _Visitor:
    """Visits pages as their user, logging in only when the user changes."""

    def __init__(self, page, url):
        self.page, self.url, self.user = page, url, False

    def visit(self, user, path):
        if user != self.user:
            if user:
                login(self.page, self.url, user, DEMO_PASSWORD)
            else:
                self.page.context.clear_cookies()
            self.user = user
        response = self.page.goto(self.url + path)
        assert response.status == 200, f"{path}: {response.status}"


def test_every_main_page_in_both_languages_and_widths_passes_axe(page, pages):
    url, items = pages
    visitor, axe, problems = _Visitor(page, url), Axe(), []
    for language, html_lang in LANGUAGES.items():
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for name, user, path in items:
                visitor.visit(user, _in(path, language))
                where = f"{name} {path} [{language}, {width}px]"
                if not page.title().strip():
                    problems.append(f"{where}: empty <title>")
                lang = page.evaluate("document.documentElement.lang")
                if lang != html_lang:
                    problems.append(f"{where}: html lang={lang!r}")
                if width == WIDTHS[0]:
                    for field in page.evaluate(UNLABELLED):
                        problems.append(f"{where}: field without a label: {field}")
                    for chart in page.evaluate(CHARTS_WITHOUT_TABLE):
                        problems.append(f"{where}: chart without its data table: {chart}")
                else:
                    scroll = page.evaluate("document.documentElement.scrollWidth")
                    if scroll > width:
                        problems.append(f"{where}: wider than a phone ({scroll}px)")
                for violation in axe.run(page, options=AXE_OPTIONS).response["violations"]:
                    targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"])
                    problems.append(f"{where}: {violation['id']} ({len(violation['nodes'])}×): {targets}")
    assert not problems, "\n".join(problems)
    assert len(items) >= 15


@pytest.mark.parametrize("user, home", [("organizer", "/organizer/"), ("team1", "/team/"), ("market1", "/market/")])
def test_the_navbar_fits_or_folds_at_992_and_1280_px(page, demo_server, user, home):
    _, url = demo_server
    login(page, url, user, DEMO_PASSWORD)
    problems = []
    for language in LANGUAGES:
        for width in (992, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url + _in(home, language))
            where = f"{user} [{language}, {width}px]"
            toggler = page.locator(".navbar-toggler")
            if toggler.is_visible():  # folded: the menu opens below the bar
                toggler.click()
                page.locator(".navbar-collapse.show").wait_for()
            account = page.locator("#nav-account")
            account.click()  # the account menu: notices, password, log out
            for item in (page.locator("#nav-notices"), page.locator("#nav-password"), page.locator("#nav-logout")):
                if not item.is_visible():
                    problems.append(f"{where}: {item} not visible after opening the account menu")
            problems += [f"{where}: {text}" for text in page.evaluate(NAV_OVERFLOW)]
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                problems.append(f"{where}: the page is {scroll}px wide")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language, skip", [("zh_CN", "跳到正文"), ("en", "Skip to content")])
def test_keyboard_skip_link_focus_ring_and_current_page(page, demo_server, language, skip):
    _, url = demo_server
    login(page, url, "organizer", DEMO_PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url + _in("/organizer/", language))
    current = page.locator('.navbar [aria-current="page"]')
    assert current.count() == 1 and current.get_attribute("href").endswith("/organizer/")
    page.keyboard.press("Tab")  # the first stop: the skip link, shown with a ring
    focused = page.evaluate(FOCUSED)
    assert focused["text"] == skip and focused["href"] == "#content" and focused["shown"] and focused["ring"], focused
    page.keyboard.press("Enter")  # it moves the focus to the page's content, past the menu
    assert page.evaluate(FOCUSED)["id"] == "content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('nav') === null"), "focus went back to the menu"
    page.goto(url + _in("/organizer/queue", language))
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the brand, on the dark bar: a ring there too
    focused = page.evaluate(FOCUSED)
    assert focused["ring"] and page.evaluate("!!document.activeElement.closest('.navbar')"), focused
    assert page.locator('.navbar [aria-current="page"]').get_attribute("href").endswith("/organizer/queue")
