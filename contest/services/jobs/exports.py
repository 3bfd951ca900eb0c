"""The edition's score export (CSV or XLSX) as a job: the same table the organizer downloads directly
(contest/services/judging/exports.py), streamed by a worker into the result file."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

from ...domain.errors import Invalid, Phrase
from ..files.mime import CSV, XLSX
from ..judging import exports
from .context import JobContext
from .registry import register

FORMATS = {"csv": (CSV, exports.write_scores_csv), "xlsx": (XLSX, exports.write_scores_xlsx)}


@register("scores.export", title=_l("评分明细导出"))
def export_scores(ctx: JobContext) -> Phrase:
    """Every submitted score sheet of the job's edition as a table, streamed row by row; params: fmt (csv,
    xlsx), codes (judges by code, for firms)."""
    edition = ctx.edition
    if edition is None:
        raise Invalid("job.edition_required")
    fmt = str(ctx.params.get("fmt", "csv"))
    if fmt not in FORMATS:
        raise Invalid("job.param_invalid", name="fmt", value=fmt)
    by_code = str(ctx.params.get("codes", False)).lower() in ("1", "true")
    mimetype, write = FORMATS[fmt]
    suffix = _("评分明细（专家代码）") if by_code else _("评分明细")
    with ctx.result_file(f"{edition.code}-{suffix}.{fmt}", mimetype) as out:
        rows = write(edition, out, judges_by_code=by_code, progress=ctx.progress)
    return Phrase("job.summary.scores_exported", rows=rows)
