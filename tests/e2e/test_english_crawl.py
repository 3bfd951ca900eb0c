"""English complete: every page a role reaches by following links, in English (?lang=en), shows no Chinese but
the users' own data (names, free text, file names… as the demo stored them)."""
from __future__ import annotations

import json
import re
from collections import Counter, deque
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
import sqlalchemy as sa

from contest.extensions import db
from contest.models import Need, User
from contest.models.need import KEYWORD_JOINER

from .live import DEMO_PASSWORD

# What the pages look like does not depend on the database: the PostgreSQL pass of `make test` skips nothing
# but deselects these (pytest.ini, Makefile).
pytestmark = pytest.mark.rendering

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
PER_KIND = 2        # pages visited per kind of page (its path and query keys, numbers and codes put aside)
PER_ROLE = 200      # and at most this many pages per role
SAME_KIND = {"page", "sort", "dir"}  # query keys that show the same page in another order or part
SKIPPED = re.compile(r"logout|/file|score-sheet|\.(pdf|xlsx|csv|zip)\b|/(pdf|xlsx|csv|zip|download)\b|[?&]lang=",
                     re.IGNORECASE)
# Everything a page says: its visible text, its title, the texts of fields, images, options and confirmations.
PAGE_TEXT = """() => {
  let text = document.body.innerText;
  for (const el of document.querySelectorAll('body [lang]:not([lang^="en"])'))  // a part marked as Chinese on purpose
    text = text.replace(el.innerText || el.textContent, ' ');
  const parts = [document.title, text];
  for (const el of document.querySelectorAll('[title], [placeholder], [aria-label], [alt], [data-confirm]'))
    for (const name of ['title', 'placeholder', 'aria-label', 'alt', 'data-confirm'])
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
  for (const el of document.querySelectorAll('option:not([lang]), option[lang^="en"]')) parts.push(el.textContent);
  for (const el of document.querySelectorAll('input[type=submit], input[type=button], input[type=reset]'))
    parts.push(el.value);
  return parts.join('\\n');
}"""
LINKS = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => !a.hasAttribute('download')).map(a => a.href)"""
# Texts the app writes itself, rather than a user: these must speak the reader's language, so they are not user
# data. (A notice, and a mail, is written in its reader's chosen language on purpose: user data for this check.)
NOT_USER_DATA = {"audit_event": "*", "published_standing": "*", "job": "*", "form_submission": "*"}


def _strings(value) -> list[str]:
    """The texts inside a stored value: itself, and the leaves of the JSON it holds."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    if not isinstance(value, str) or not CJK.search(value):
        return []
    found = [value]
    if value[:1] in "[{":
        try:
            found += _strings(json.loads(value))
        except ValueError:
            pass
    return found


def user_data(app) -> list[str]:
    """Every stored text with Chinese in it (each whole, and each of its lines), longest first."""
    texts: set[str] = set()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text, sa.JSON))
                       and NOT_USER_DATA.get(table.name) not in ("*", c.name)]
            if not columns:
                continue
            for row in db.session.execute(sa.select(*columns)):
                for value in row:
                    for text in _strings(value):
                        texts.add(" ".join(text.split()))
                        texts.update(line.strip() for line in text.splitlines() if CJK.search(line))
        for keywords in db.session.scalars(sa.select(Need.keywords)):  # shown one by one
            texts.update(word for word in keywords.split(KEYWORD_JOINER) if CJK.search(word))
        db.session.remove()
    return sorted(texts, key=len, reverse=True)


def _firm_with_needs_in_most_states(app) -> str:
    with app.app_context():
        org_id = db.session.execute(
            sa.select(Need.firm_org_id).group_by(Need.firm_org_id)
            .order_by(sa.func.count(sa.distinct(Need.status)).desc(), Need.firm_org_id)).scalars().first()
        name = db.session.scalar(sa.select(User.username).where(User.org_id == org_id).order_by(User.id))
        db.session.remove()
    return name


def page_kind(url: str) -> str:
    """A page's kind: its path with numbers and codes (any segment with a digit) put aside, and its query's keys
    (but those that only sort or page it)."""
    parts = urlsplit(url)
    path = "/".join("#" if re.search(r"\d", segment) else segment for segment in parts.path.split("/"))
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)} - SAME_KIND)
    return path + ("?" + "&".join(keys) if keys else "")


def leftovers(text: str, data: list[str]) -> list[str]:
    """The Chinese left on a page once the user data is taken out, each with some context."""
    text = "\n".join(" ".join(line.split()) for line in text.splitlines())
    if not CJK.search(text):
        return []
    # First a long name cut short in the middle (a chart's label), before a shorter stored text inside it (宁波市)
    # is taken out of its head.
    for cut in re.finditer(r"(\S*)…(\S*)", text):
        head, tail = cut.groups()
        if any(item.startswith(head) and item.endswith(tail) for item in data):
            text = text.replace(cut.group(), " ")
    for item in data:
        if item in text:
            text = text.replace(item, " ")
            if not CJK.search(text):
                return []
    found = []
    for match in CJK.finditer(text):
        snippet = text[max(0, match.start() - 20): match.end() + 20].replace("\n", " | ")
        if not found or match.start() > found[-1][0] + 20:
            found.append((match.start(), snippet))
    return [snippet for _, snippet in found]


def _sign_in(page, url: str, username: str | None) -> str:
    """Choose English first, then log in (the choice must survive it): the page the role lands on."""
    page.context.clear_cookies()
    page.goto(f"{url}/auth/login?lang=en")
    if username is None:
        return f"{url}/"
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")
    assert "/auth/login" not in page.url, f"login as {username} failed"
    return page.url


def crawl(page, url: str, start: list[str], data: list[str]) -> tuple[list[str], list[str]]:
    """Breadth first from `start`, a few pages of each kind: (pages visited, problems found)."""
    origin = urlsplit(url).netloc
    queue, seen, kinds = deque(start), set(start), Counter()
    visited, problems = [], []
    while queue and len(visited) < PER_ROLE:
        target = queue.popleft()
        kind = page_kind(target)
        if kinds[kind] >= PER_KIND:
            continue
        kinds[kind] += 1
        try:
            response = page.goto(target)
        except PlaywrightError as error:  # a file the link's address did not tell: not a page
            if "Download is starting" not in str(error):
                raise
            continue
        visited.append(target)
        if response is None or response.status >= 500:
            problems.append(f"{target}: HTTP {response.status if response else 'none'}")
        if page.evaluate("document.documentElement.lang") != "en":  # the choice of English was lost
            problems.append(f"{target}: <html lang={page.evaluate('document.documentElement.lang')!r}>")
        for snippet in leftovers(page.evaluate(PAGE_TEXT), data):
            problems.append(f"{target}: …{snippet}…")
        for link in page.evaluate(LINKS):
            link = link.split("#", 1)[0]
            if urlsplit(link).netloc != origin or SKIPPED.search(link) or link in seen:
                continue
            seen.add(link)
            queue.append(link)
    return visited, problems


@pytest.fixture(scope="module")
def demo(demo_server):
    app, url = demo_server
    return app, url, user_data(app), _firm_with_needs_in_most_states(app)


# Each role, and the part of the site only it reaches (the anonymous visitor: the public pages); a broker's own
# pages are few, so its matchmaking events count too.
ROLES = {"anonymous": ("/needs",), "firm": ("/firm/",), "team1": ("/team/",), "judge1": ("/judge/",),
         "organizer": ("/organizer/",), "market1": ("/market/",), "broker1": ("/broker/", "/events/")}


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_reached_in_english_shows_no_chinese_but_user_data(page, demo, role):
    app, url, data, firm = demo
    username = {"anonymous": None, "firm": firm}.get(role, role)
    landing = _sign_in(page, url, username)
    # Besides the links: the error pages (a missing page, a forbidden one or the login a guard leads to).
    start = [landing, f"{url}/no-such-page", f"{url}/organizer/" if role != "organizer" else f"{url}/team/"]
    visited, problems = crawl(page, url, start, data)
    print(f"\n{role}: {len(visited)} pages of {len({page_kind(v) for v in visited})} kinds")
    own = [v for v in visited if urlsplit(v).path.startswith(ROLES[role])]
    assert len(visited) >= 15 and len(own) >= 3, f"{role} reached too little: {visited}"
    assert not problems, f"Chinese on English pages ({role}):\n" + "\n".join(problems)


def test_the_check_finds_chinese_and_spares_user_data():
    data = ["宁波市模具技术市场", "海水淡化", "反渗透膜"]
    assert leftovers("Needs | 海水淡化 | 反渗透膜 | Firm: 宁波市模…技术市场", data) == []
    assert leftovers("Market: 宁波市模…技术市场", ["宁波市", *data]) == []  # 宁波市 alone is stored too
    found = leftovers("Needs | 海水淡化 | 待甄别 | Submitted", data)
    assert len(found) == 1 and "待甄别" in found[0]
    assert leftovers("Amount（元）", data) and leftovers("Note：", data)
    assert page_kind("http://x/organizer/editions/CIC8-NB/standings?need=3&page=2&sort=a") == \
        "/organizer/editions/#/standings?need"
