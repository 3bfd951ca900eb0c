"""The firm's objections (异议): filing one against a need's published result, and following them and those
against its own needs, with the organizer's rulings (the pages are shared with the team: web/objection_pages)."""
from __future__ import annotations

from ..web import objection_pages
from . import bp


@bp.route("/needs/<int:need_id>/objection", methods=["GET", "POST"])
def file_objection(need_id: int):
    """Object to a need's result during the objection window: a reason and, optionally, a PDF as evidence."""
    return objection_pages.file_objection(need_id)


@bp.get("/objections")
def objections():
    """The objections the firm's account filed and those against the firm's needs, with the rulings."""
    return objection_pages.objections_page()
