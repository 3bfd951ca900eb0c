"""The API's other public reads: the network's markets, published results and public figures, and the API's
own OpenAPI document."""
from __future__ import annotations

import flask
from flask import current_app, request
from flask_smorest import abort

from ..extensions import db
from ..services.api import published
from ..services.judging import objections, stages
from . import bp, docs, present, schemas


@bp.get("/markets")
@bp.response(200, schemas.MarketList)
@docs.read_only(bp)
def markets():
    """The markets of the 1+12+13 network (the `market` filter of the needs takes their ids)."""
    return {"items": [present.market(m) for m in published.markets()]}


@bp.get("/results")
@bp.response(200, schemas.ResultEditionList)
@docs.read_only(bp)
def results():
    """The editions whose results are published, latest first."""
    return {"items": [present.result_edition(e) for e in stages.published_editions()]}


@bp.get("/results/<code>")
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.ResultPage)
@docs.read_only(bp, 404)
def edition_results(code: str, page: int, per_page: int):
    """An edition's published results, as the results page shows them (404 before publication)."""
    edition = published.published_edition(code)
    if edition is None:
        abort(404)
    found = db.paginate(stages.decided_needs(edition), page=page, per_page=per_page, error_out=False)
    needs = list(found.items)
    reversed_on = objections.reversal_dates([n.id for n in needs])
    rows = [present.result_row(n, winner, reversed_on.get(n.id, [])) for n, winner in stages.public_results(needs)]
    return {**present.paged(found, rows), "edition": present.result_edition(edition)}


@bp.get("/statistics")
@bp.response(200, schemas.StatisticsList)
@docs.read_only(bp)
def statistics():
    """Public figures of every edition whose results are published: needs, budget, outcomes, by field and market."""
    return {"items": [present.figures(f) for f in published.published_figures()]}


@bp.get("/statistics/<code>")
@bp.response(200, schemas.EditionStatistics)
@docs.read_only(bp, 404)
def edition_statistics(code: str):
    """Public figures of one edition whose results are published (404 before publication)."""
    edition = published.published_edition(code)
    if edition is None:
        abort(404)
    return present.figures(published.edition_figures(edition))


def openapi_json():
    """The API's OpenAPI 3 document, generated from the code, with this server's address."""
    spec = current_app.extensions["contest_api"].spec.to_dict()
    base = (current_app.config.get("PUBLIC_BASE_URL") or request.url_root).rstrip("/")
    return {**spec, "servers": [{"url": base, "description": "本平台"}]}


# Not an operation of the document it serves: registered past flask-smorest's documentation.
flask.Blueprint.add_url_rule(bp, "/openapi.json", "openapi_json", openapi_json, methods=["GET"])
