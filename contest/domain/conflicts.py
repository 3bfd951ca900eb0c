"""Conflicts of interest (回避): when a judge must not score a bid."""
from __future__ import annotations


def bid_conflict_orgs(lead_org: str, member_orgs: list[str] | tuple[str, ...], firm_org: str) -> frozenset[str]:
    """The organizations a bid touches: the team's lead, every member's organization, and the firm's."""
    return frozenset(o.strip() for o in (lead_org, *member_orgs, firm_org) if o and o.strip())


def is_conflicted(judge_org: str | None, declared: frozenset[str], bid_orgs: frozenset[str]) -> bool:
    """A judge is conflicted when their own or any declared organization is one the bid touches."""
    return (judge_org is not None and judge_org in bid_orgs) or bool(declared & bid_orgs)
