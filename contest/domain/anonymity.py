"""The anonymity check of a challenge report (挑战报告): does its text name the team?

Online review is blind, so the report a team uploads must not name the team, its organizations (nor their
usual short forms), its leader or members, their phone numbers or e-mail addresses. `find` looks for them in
the report's text, page by page, and says what it found, which item it matches and on which page.

Names are compared as their letters and digits only, after NFKC and case folding: "宁 波 大 学", "宁波·大学",
"宁波⼤学" (a Kangxi radical) and a full-width "ＡＢＣ" are found like the plain names. Phone numbers are compared by
their digits (at least MIN_PHONE_DIGITS of them) inside a run of digits and separators; e-mail addresses by
their letters and digits, case-insensitively. Needles too short to mean anything are not searched: one
character, a team name shorter than MIN_TEAM, an organization's name shorter than MIN_ORGANIZATION.

A two-character Chinese name hides inside ordinary words (段明 in "阶段明确"), and Chinese has no spaces to
tell a word from a name: such a name is found where it stands apart — next to a space, punctuation, a line's
end or a Latin letter or digit on either side — or is followed by a title (教授, 博士, 老师…). "由李明负责" is
then missed; refusing an honest report for "阶段明确" would be worse.

The short forms of organizations come only from SHORT_FORMS, a small table of the well-known ones (the schema
has no field for them).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

from .conflicts import org_key

MIN_PERSON = 2          # a two-character Chinese name is a name; one character is not
MIN_TEAM = 3
MIN_ORGANIZATION = 4    # "个人", "无": not an organization anyone can be found by
MIN_SHORT_FORM = 2      # 宁大, 浙大: curated, so short is fine
MIN_EMAIL = 6           # letters and digits of the address
MIN_PHONE_DIGITS = 7
FOUND_MAX = 40          # characters of the found text quoted back
# What may follow a two-character name for it to count as one inside running Chinese text.
TITLES = ("教授", "副教授", "博士", "研究员", "工程师", "老师", "讲师", "主任", "院长", "所长", "同学", "先生", "女士",
          "团队", "课题组", "等")

# Well-known short forms, by the org_key of the organization's full name (the demo's universities and
# institutes, and a few neighbours a member may come from).
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    org_key(name): forms for name, forms in {
        "宁波大学": ("宁大", "NBU"),
        "浙江大学": ("浙大", "ZJU"),
        "中国科学院": ("中科院",),
        "中国科学院宁波材料技术与工程研究所": ("宁波材料所", "中科院宁波材料所", "宁波材料技术与工程研究所", "NIMTE"),
        "宁波诺丁汉大学": ("宁诺", "诺丁汉大学宁波校区", "UNNC"),
        "浙江大学宁波“五位一体”校区教育发展中心": ("浙大宁波校区", "浙江大学宁波校区", "浙大宁波五位一体校区"),
        "宁波工程学院": ("宁工院",),
        "浙江万里学院": ("万里学院",),
        "宁波诺丁汉国际海洋经济技术研究院": ("诺丁汉海洋研究院",),
        "浙江工业大学": ("浙工大", "ZJUT"),
        "宁波市农业科学研究院": ("宁波农科院",),
    }.items()
}


class Kind(str, Enum):
    """What an identifying item is."""

    TEAM = "team"
    ORGANIZATION = "organization"
    SHORT_FORM = "short_form"
    LEADER = "leader"
    MEMBER = "member"
    CONTACT = "contact"
    PHONE = "phone"
    EMAIL = "email"


PEOPLE = frozenset({Kind.LEADER, Kind.MEMBER, Kind.CONTACT})


@dataclass(frozen=True)
class Identity:
    """What identifies a team: its name, its organizations (lead first), its people (the leader, the members, the
    account's contact person) and their phone numbers and e-mail addresses."""

    team_name: str = ""
    organizations: tuple[str, ...] = ()
    leader: str = ""
    members: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class Needle:
    """One thing searched: its kind, the text searched, and the item of the identity it stands for (宁大 stands
    for 宁波大学)."""

    kind: Kind
    text: str
    item: str
    key: str = field(compare=False, default="")   # letters and digits (phones: digits) of text


@dataclass(frozen=True)
class Finding:
    """Something found: on which page (from 1), the text as written there, what it is and the item it matches."""

    page: int
    found: str
    kind: Kind
    item: str


@lru_cache(maxsize=8192)
def _folded(char: str) -> str:
    """A character as compared: NFKC, case folded (may be several characters, or none)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", char).casefold())


def skeleton(text: str) -> str:
    """The letters and digits of a text, NFKC and case folded: what names are compared as."""
    return "".join(c for ch in text or "" for c in _folded(ch) if c.isalnum())


def digits(text: str) -> str:
    """The decimal digits of a text, full-width ones included."""
    return "".join(c for ch in text or "" for c in _folded(ch) if c.isdecimal())


def _phone_keys(number: str) -> list[str]:
    """The digits a phone number is searched by: all of them, and without a +86 / 0086 country code."""
    found = digits(number)
    keys = [found]
    for prefix in ("0086", "86"):
        if found.startswith(prefix) and len(found) - len(prefix) >= MIN_PHONE_DIGITS:
            keys.append(found[len(prefix):])
            break
    return [k for k in keys if len(k) >= MIN_PHONE_DIGITS]


def needles(identity: Identity, short_forms: dict[str, tuple[str, ...]] | None = None) -> list[Needle]:
    """Everything searched for one identity, each once (the first kind that names it wins)."""
    table = SHORT_FORMS if short_forms is None else short_forms
    out: list[Needle] = []
    seen: set[tuple[bool, str]] = set()

    def add(kind: Kind, text: str, item: str, minimum: int) -> None:
        key = skeleton(text)
        if len(key) >= minimum and (False, key) not in seen:
            seen.add((False, key))
            out.append(Needle(kind, text.strip(), item.strip(), key))

    add(Kind.TEAM, identity.team_name, identity.team_name, MIN_TEAM)
    for org in identity.organizations:
        add(Kind.ORGANIZATION, org, org, MIN_ORGANIZATION)
    for org in identity.organizations:
        for form in table.get(org_key(org), ()):
            add(Kind.SHORT_FORM, form, org, MIN_SHORT_FORM)
    add(Kind.LEADER, identity.leader, identity.leader, MIN_PERSON)
    for member in identity.members:
        add(Kind.MEMBER, member, member, MIN_PERSON)
    for contact in identity.contacts:
        add(Kind.CONTACT, contact, contact, MIN_PERSON)
    for email in identity.emails:
        if "@" in (email or ""):
            add(Kind.EMAIL, email, email, MIN_EMAIL)
    for phone in identity.phones:
        for key in _phone_keys(phone or ""):
            if (True, key) not in seen:
                seen.add((True, key))
                out.append(Needle(Kind.PHONE, phone.strip(), phone.strip(), key))
    return out


@dataclass
class _Page:
    """A page's text with its compared forms and, for each of their characters, where it comes from."""

    text: str
    letters: str = ""
    letter_at: list[int] = field(default_factory=list)
    runs: list[tuple[str, list[int]]] = field(default_factory=list)   # runs of digits, each digit's position

    def __post_init__(self) -> None:
        letters: list[str] = []
        run, run_at = [], []
        for i, ch in enumerate(self.text):
            folded = _folded(ch)
            for c in folded:
                if c.isalnum():
                    letters.append(c)
                    self.letter_at.append(i)
            if folded.isdecimal():
                run.append(folded)
                run_at.extend([i] * len(folded))
            elif run and not _PHONE_SEPARATOR.fullmatch(folded or " "):
                self.runs.append(("".join(run), run_at))
                run, run_at = [], []
        if run:
            self.runs.append(("".join(run), run_at))
        self.letters = "".join(letters)

    def quoted(self, start: int, end: int) -> str:
        """The text from position start to end (inclusive) as written, on one line, at most FOUND_MAX long."""
        found = " ".join(self.text[start:end + 1].split())
        return found if len(found) <= FOUND_MAX else found[:FOUND_MAX - 1] + "…"

    def _word_edge(self, position: int) -> bool:
        """Whether the character at position is a Latin letter or a digit (a needle must not end next to one)."""
        if not 0 <= position < len(self.text):
            return False
        return any(c.isascii() and c.isalnum() for c in _folded(self.text[position]))

    def _ideograph(self, position: int) -> bool:
        return 0 <= position < len(self.text) and _is_ideograph(self.text[position])

    def _stands_apart(self, start: int, end: int) -> bool:
        """Whether the text from start to end is not inside a run of Chinese characters, or is followed by a title."""
        return (not self._ideograph(start - 1) or not self._ideograph(end + 1)
                or self.text[end + 1:end + 4].startswith(TITLES))

    def find_letters(self, needle: Needle) -> tuple[int, int] | None:
        """Where the needle's letters occur (first and last position in the text); a needle starting or ending
        with a Latin letter or digit must not touch another one there (NBU is not found in "unbutton"); a
        two-character Chinese name must stand apart (see the module's text)."""
        short_name = needle.kind in PEOPLE and len(needle.key) == 2 and all(map(_is_ideograph, needle.key))
        at = self.letters.find(needle.key)
        while at != -1:
            start, end = self.letter_at[at], self.letter_at[at + len(needle.key) - 1]
            head, tail = needle.key[0], needle.key[-1]
            if not ((head.isascii() and self._word_edge(start - 1)) or (tail.isascii() and self._word_edge(end + 1))) \
                    and (not short_name or self._stands_apart(start, end)):
                return start, end
            at = self.letters.find(needle.key, at + 1)
        return None

    def find_digits(self, needle: Needle) -> tuple[int, int] | None:
        for run, run_at in self.runs:
            at = run.find(needle.key)
            if at != -1:
                return run_at[at], run_at[at + len(needle.key) - 1]
        return None


def _is_ideograph(char: str) -> bool:
    return "CJK" in unicodedata.name(char, "") and unicodedata.category(char) == "Lo"


# What may stand between the digits of a phone number: spaces, hyphens and dashes, dots, brackets, a plus sign.
_PHONE_SEPARATOR = re.compile(r"[\s\-‐‑‒–—―.·()/+]+")


def has_text(pages: Sequence[str]) -> bool:
    """Whether any page has a letter or a digit: a scanned report (images only) has none, and is not checked."""
    return any(skeleton(page) for page in pages)


def find(identity: Identity, pages: Sequence[str], *,
         short_forms: dict[str, tuple[str, ...]] | None = None) -> list[Finding]:
    """What of the identity the pages show, in page order then position (the longer match first where two
    start at the same place), each item at most once per page."""
    searched = needles(identity, short_forms)
    found: list[tuple[int, int, int, Finding]] = []
    for number, text in enumerate(pages, start=1):
        if not text:
            continue
        page = _Page(text)
        for needle in searched:
            where = page.find_digits(needle) if needle.kind == Kind.PHONE else page.find_letters(needle)
            if where is not None:
                start, end = where
                found.append((number, start, start - end, Finding(number, page.quoted(start, end), needle.kind,
                                                                  needle.item)))
    found.sort(key=lambda f: f[:3])
    return [f[3] for f in found]


def first(identity: Identity, pages: Iterable[str], **kw) -> Finding | None:
    """The first finding, or None when the pages name nothing of the identity."""
    findings = find(identity, list(pages), **kw)
    return findings[0] if findings else None
