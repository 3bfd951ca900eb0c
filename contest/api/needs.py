"""The API's needs: the public catalogue (list and detail, anonymous firms unnamed) and, with a market staff
member's token, a new need for a firm of their market."""
from __future__ import annotations

from flask import g
from flask_smorest import abort

from ..domain.errors import DomainError
from ..extensions import db
from ..services import catalogue, clock
from ..services.api import needs as api_needs, published
from ..web.refusals import status_of
from . import SECURITY_SCHEME, bearer, bp, docs, present, schemas

SCOPE = "needs:write"


@bp.get("/needs")
@bp.arguments(schemas.NeedArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.NeedPage)
@docs.read_only(bp)
def needs(page: int, per_page: int, **filters):
    """Published needs, as the public catalogue shows them: filters edition, field, market, status and q."""
    found = db.paginate(published.needs_select(published.NeedQuery(**filters)), page=page, per_page=per_page,
                        error_out=False)
    return present.paged(found, [present.need(n) for n in found.items])


@bp.get("/needs/<int:need_id>")
@bp.response(200, schemas.NeedOut)
@docs.read_only(bp, 404)
def need(need_id: int):
    """A published need, as its public page shows it (404 for any other)."""
    found = catalogue.public_need(need_id)
    if found is None:
        abort(404)
    return present.need(found)


@bp.post("/needs")
@bearer.required(SCOPE)
@bp.arguments(schemas.NeedIn)
@bp.response(201, schemas.NeedCreated)
@docs.errors(bp, 400, 401, 403, 409, 415, 429)
@bp.doc(security=[{SECURITY_SCHEME: []}])
def create_need(data: dict):
    """A market's staff create a need for a firm their market registered, as a draft or submitted (token scope
    needs:write); the session cookie is never taken for it."""
    try:
        created = api_needs.create_need(g.api_token, data, now=clock.now())
    except DomainError as e:
        db.session.rollback()
        abort(status_of(e), refusal=e)
    db.session.commit()
    return present.created(created)
