"""Score exports: the edition's score table (CSV, XLSX) and each need's printable on-site score sheet (PDF)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from flask import abort, request
from flask_babel import gettext as _

from ... import pdf
from ...services.judging import exports
from ...web.downloads import CSV, PDF, XLSX, send_download
from ...web.lookups import edition_or_404
from .. import bp

SCORE_FORMATS = {"csv": (CSV, exports.write_scores_csv), "xlsx": (XLSX, exports.write_scores_xlsx)}


@bp.get("/editions/<code>/scores.<any(csv, xlsx):fmt>")
def score_export(code: str, fmt: str):
    """Download every submitted score sheet of the edition; ?codes=1 shows judges by code, for firms."""
    edition = edition_or_404(code)
    by_code = request.args.get("codes") == "1"
    mimetype, write = SCORE_FORMATS[fmt]
    suffix = _("评分明细（专家代码）") if by_code else _("评分明细")
    # Streamed into a temporary file, not memory: a national edition's table runs to tens of megabytes.
    with tempfile.NamedTemporaryFile(prefix="scores-", suffix=f".{fmt}", delete=False) as out:
        path = Path(out.name)
        try:
            write(edition, out, judges_by_code=by_code)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    try:
        return send_download(path, f"{edition.code}-{suffix}.{fmt}", mimetype)
    finally:
        path.unlink(missing_ok=True)  # the response holds the open file; the name goes now


@bp.get("/needs/<int:need_id>/score-sheet.pdf")
def score_sheet_pdf(need_id: int):
    """Print the need's on-site score sheet: one page per panel member, to fill in and sign."""
    context = exports.score_sheet_context(need_id) or abort(404)
    content = pdf.render_pdf("pdf/score_sheet.html", **context)  # WeasyPrint is loaded here, not at start
    name = f"{context['edition_code']}-{need_id}-{_('现场赛评分表')}.pdf"
    return send_download(content, name, PDF)
