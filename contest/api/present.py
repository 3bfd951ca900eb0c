"""Models as the API's documents: plain values, only what the public pages show (an anonymous need's firm is
never named). Times are UTC with their offset; amounts are strings with two decimals."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..domain.embargo import shown_status
from ..domain.states import NeedStatus
from ..labels import label
from ..models import Bid, Market, Need
from ..services.api.published import EditionFigures
from ..services.judging import stages

CENT = Decimal("0.01")
OUTCOME = {NeedStatus.AWARDED: "awarded", NeedStatus.FAILED: "failed", NeedStatus.FINAL: "awaiting_reconfirmation"}
AWAITING_LABEL = _l("待企业重新确认")


def utc(moment: datetime | None) -> datetime | None:
    """A stored (naive UTC) time as an aware one, so its ISO text says it is UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment is not None else None


def amount(value: Decimal | None) -> str:
    return str(Decimal(value or 0).quantize(CENT))


def paged(pagination, items: list) -> dict:
    return {"items": items, "page": pagination.page, "per_page": pagination.per_page,
            "total": pagination.total or 0, "pages": pagination.pages}


def firm_name(need: Need) -> str | None:
    """The firm's name as the public need page shows it: none for an anonymous need."""
    return None if need.anonymous else need.firm.name


def need(found: Need) -> dict:
    """A published need as its public page shows it, its status under the results embargo."""
    edition = found.edition
    status = shown_status(found.status, edition.results_published_at is not None)
    return {
        "id": found.id, "url": url_for("public.need", need_id=found.id, _external=True), "name": found.name,
        "category": found.category.value, "category_label": label(found.category),
        "field": found.field.value, "field_label": label(found.field), "industry": found.industry,
        "keywords": found.keyword_list, "problem": found.problem, "key_points": found.key_points,
        "goals": found.goals, "budget_wan": amount(found.budget_wan),
        "period_start": found.period_start, "period_end": found.period_end,
        "cooperation": found.cooperation.value, "cooperation_label": label(found.cooperation),
        "market_id": found.market_id, "market_name": found.market.name,
        "edition": edition.code, "edition_name": edition.name, "bidding_deadline": utc(edition.bidding_deadline),
        "status": status.value, "status_label": label(status), "published_at": utc(found.published_at),
        "anonymous": found.anonymous, "firm_name": firm_name(found),
    }


def market(found: Market) -> dict:
    return {"id": found.id, "name": found.name, "level": found.level.value, "level_label": label(found.level),
            "area": found.area, "active": found.active}


def result_edition(edition) -> dict:
    return {"code": edition.code, "name": edition.name, "results_published_at": utc(edition.results_published_at),
            "objection_deadline": stages.objection_deadline(edition)}


def result_row(found: Need, winner: Bid | None, reversed_on: list[date]) -> dict:
    """A line of the public results: the need, its firm (unless anonymous), its winner or 流榜."""
    outcome = OUTCOME.get(found.status, "awaiting_reconfirmation")
    won = winner is not None  # as the results page: a winner shown whenever there is one
    return {"need_id": found.id, "need_name": found.name,
            "need_url": url_for("public.need", need_id=found.id, _external=True), "firm_name": firm_name(found),
            "outcome": outcome, "outcome_label": str(AWAITING_LABEL) if outcome == "awaiting_reconfirmation"
            else label(found.status), "winner_team": winner.team.name if won else None,
            "winner_lead_org": winner.team.lead_org.name if won else None, "reversed_on": reversed_on}


def figures(found: EditionFigures) -> dict:
    edition = found.edition
    return {
        "edition": edition.code, "edition_name": edition.name,
        "results_published_at": utc(edition.results_published_at), "needs": found.needs,
        "budget_wan": amount(found.budget_wan), "awarded": found.awarded, "failed": found.failed,
        "awaiting_reconfirmation": found.awaiting,
        "by_field": [{"field": f.value, "label": label(f), "needs": n} for f, n in found.by_field],
        "by_market": [{"market_id": m.id, "market_name": m.name, "needs": n} for m, n in found.by_market],
    }


def created(found: Need) -> dict:
    return {"id": found.id, "name": found.name, "status": found.status.value, "status_label": label(found.status),
            "edition": found.edition.code, "firm_id": found.firm_org_id, "market_id": found.market_id}

