"""Published results: each need of an edition with its winner or 流榜, and the objection deadline."""
from __future__ import annotations

from flask import current_app, render_template

from ..domain.states import EditionStage
from ..extensions import db
from ..services import clock
from ..services.judging import objections, stages, standings
from ..web.lookups import edition_or_404, page_number, within_pages
from . import bp


@bp.get("/results")
def results():
    """The editions whose results are published, each linking to its results page."""
    return render_template("public/results.html", edition=None, editions=stages.published_editions(), rows=None)


@bp.get("/results/<code>")
def edition_results(code: str):
    """An edition's published results: winners, 流榜 needs and the objection deadline (nothing before publication);
    a result an upheld objection reversed carries a dated note, and shows no winner until the firm decides again."""
    edition = edition_or_404(code)
    if edition.stage != EditionStage.RESULTS:
        return render_template("public/results.html", edition=edition, editions=None, rows=None)
    pagination = within_pages(lambda p: db.paginate(stages.decided_needs(edition), page=p,
                                                    per_page=current_app.config["PAGE_SIZE"], error_out=False),
                              page_number())
    needs = list(pagination.items)
    return render_template("public/results.html", edition=edition, editions=None, pagination=pagination,
                           rows=stages.public_results(needs), reversals=objections.reversal_dates([n.id for n in needs]),
                           deadline=stages.objection_deadline(edition),
                           window_open=objections.window_open(edition, clock.now()))


@bp.app_template_global("own_results")
def own_results(bids) -> dict:
    """For a team's pages: its own bids' rank and scores, once their edition's results are published."""
    return standings.own_results(list(bids))
