"""Score exports: the edition's score table (CSV, XLSX) and each need's printable on-site score sheet (PDF)."""
from __future__ import annotations

from flask import abort, request
from flask_babel import gettext as _

from ...pdf import render_pdf
from ...services.judging import exports
from ...web.downloads import CSV, PDF, XLSX, send_download
from ...web.lookups import edition_or_404
from .. import bp

SCORE_FORMATS = {"csv": (CSV, exports.to_csv), "xlsx": (XLSX, exports.to_xlsx)}


@bp.get("/editions/<code>/scores.<any(csv, xlsx):fmt>")
def score_export(code: str, fmt: str):
    """Download every submitted score sheet of the edition; ?codes=1 shows judges by code, for firms."""
    edition = edition_or_404(code)
    by_code = request.args.get("codes") == "1"
    header, rows = exports.score_rows(edition, judges_by_code=by_code)
    mimetype, write = SCORE_FORMATS[fmt]
    suffix = _("评分明细（专家代码）") if by_code else _("评分明细")
    return send_download(write(header, rows), f"{edition.code}-{suffix}.{fmt}", mimetype)


@bp.get("/needs/<int:need_id>/score-sheet.pdf")
def score_sheet_pdf(need_id: int):
    """Print the need's on-site score sheet: one page per panel member, to fill in and sign."""
    context = exports.score_sheet_context(need_id) or abort(404)
    pdf = render_pdf("pdf/score_sheet.html", **context)
    name = f"{context['edition_code']}-{need_id}-{_('现场赛评分表')}.pdf"
    return send_download(pdf, name, PDF)
