"""Contract work that outgrows a request, as a job: batch printing, a ZIP of every issued contract of an
edition, as issued (a thousand contracts make hundreds of megabytes)."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

from ...domain.errors import Invalid, Phrase
from ..contracts import batch
from ..files.mime import ZIP
from .context import JobContext
from .registry import register


@register("contracts.print", title=_l("批量打印合同"))
def print_contracts(ctx: JobContext) -> Phrase:
    """The edition's issued and signed contracts' stored PDFs in one ZIP, in number order."""
    if ctx.edition is None:
        raise Invalid("job.edition_required")
    with ctx.result_file(_("%(code)s-合同汇总.zip", code=ctx.edition.code), ZIP) as out:
        count = batch.write_contracts_zip(ctx.edition, out, ctx.progress)
    return Phrase("job.summary.contracts_printed", count=count)
