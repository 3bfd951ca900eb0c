"""Judging work that outgrows a request, as jobs: the automatic assignment of a whole edition (20,000 bids × 5
judges at national scale) and the stage changes, which move every need and bid of the edition."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from ...domain.errors import Invalid, Phrase
from ..judging import assignments, stages
from .context import JobContext
from .registry import register


@register("assignment.auto", title=_l("自动分配评审专家"), then="organizer.assignments_page")
def assign_automatically(ctx: JobContext) -> Phrase:
    """Replace the edition's online assignments by the automatic one; params: seed."""
    _edition(ctx)
    seed = ctx.params.get("seed", 0)
    if not isinstance(seed, int):
        raise Invalid("job.param_invalid", name="seed", value=seed)
    result = assignments.auto_assign(ctx.edition, ctx.actor, seed=seed, progress=ctx.progress)
    if result.short:
        return Phrase("job.summary.assigned_short", bids=result.bids, n=result.assigned, short=len(result.short))
    return Phrase("job.summary.assigned", bids=result.bids, n=result.assigned)


def _moment(ctx: JobContext) -> datetime:
    """The moment the organizer asked for the change (the job may run a little later)."""
    try:
        return datetime.fromisoformat(str(ctx.params["at"]))
    except (KeyError, ValueError):
        raise Invalid("job.param_invalid", name="at", value=ctx.params.get("at")) from None


def _edition(ctx: JobContext):
    if ctx.edition is None:
        raise Invalid("job.edition_required")
    return ctx.edition


@register("stage.open_review", title=_l("开启初评"), then="organizer.judging")
def open_review(ctx: JobContext) -> Phrase:
    """Close bidding and open the online review (needs without a bid fail)."""
    stages.open_online_review(_edition(ctx), ctx.actor, _moment(ctx))
    return Phrase("job.summary.review_opened")


@register("stage.finalists", title=_l("确认入围"), then="organizer.judging")
def confirm_finalists(ctx: JobContext) -> Phrase:
    """Choose each need's finalists from the online scores and move to the final."""
    stages.confirm_finalists(_edition(ctx), ctx.actor, _moment(ctx))
    return Phrase("job.summary.finalists_confirmed")


@register("stage.publish", title=_l("发布结果"), then="organizer.judging")
def publish_results(ctx: JobContext) -> Phrase:
    """Publish the results (the standings are frozen as they are)."""
    stages.publish_results(_edition(ctx), ctx.actor, _moment(ctx))
    return Phrase("job.summary.results_published")
