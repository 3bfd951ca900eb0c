"""Conflicts of interest (回避): when a judge must not score a bid."""
from __future__ import annotations

import unicodedata
from functools import lru_cache


# Removed before names are compared: format controls (zero-width spaces and joiners, the byte-order mark,
# direction marks), other controls, and every kind of space.
_INVISIBLE = frozenset(("Cf", "Cc", "Zs", "Zl", "Zp"))


@lru_cache(maxsize=65536)
def org_key(name: str | None) -> str:
    """An organization's name in the one form names are compared in: NFKC (full-width letters, digits and
    brackets, the Kangxi radicals such as ⼤ and other compatibility forms folded to the ordinary characters),
    invisible characters and spaces removed, case folded. "" for no name."""
    if not name:
        return ""
    visible = "".join(c for c in unicodedata.normalize("NFKC", name)
                      if not c.isspace() and unicodedata.category(c) not in _INVISIBLE)
    return unicodedata.normalize("NFKC", visible.casefold())


def bid_conflict_orgs(lead_org: str, member_orgs: list[str] | tuple[str, ...], firm_org: str) -> frozenset[str]:
    """The organizations a bid touches, as org_key()s: the team's lead, every member's organization, the firm."""
    return frozenset(key for key in map(org_key, (lead_org, *member_orgs, firm_org)) if key)


def is_conflicted(judge_org: str | None, declared: frozenset[str], bid_orgs: frozenset[str]) -> bool:
    """A judge is conflicted when their own or any declared organization is one the bid touches (names or keys;
    bid_orgs as bid_conflict_orgs gives them)."""
    own = org_key(judge_org)
    return (bool(own) and own in bid_orgs) or any(org_key(o) in bid_orgs for o in declared)
