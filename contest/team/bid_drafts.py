"""What the bid form carries from one submission to the next: the chosen PDF, checked first and kept when
another field fails (services.files.staged_uploads), and the text of a withdrawn report restored into a new one."""
from __future__ import annotations

import io
from datetime import datetime

from ..domain.errors import DomainError
from ..i18n import refusal_text
from ..models import Bid, Team, User
from ..services import bids
from ..services.files import staged_uploads, uploads
from ..web.refusals import status_of
from .forms import BidForm


def take_pdf(form: BidForm, team: Team, user: User, now: datetime) -> uploads.CheckedPdf | None:
    """The report this submission brings, checked before anything else: a new upload (it replaces a kept one), or
    the one kept from an earlier try of the same account. A refused upload becomes the file field's error."""
    if not form.is_submitted():
        return None
    kept = staged_uploads.find(form.staged_pdf.data, user.id, now)
    upload = form.upload()
    if upload is not None:
        try:
            pdf = uploads.check_pdf(upload.stream, upload.filename, read_text=True)
            bids.check_report(team, pdf)
        except DomainError as e:
            form.pdf_refusal, form.pdf_status = refusal_text(e), status_of(e)
            form.staged = kept
            return None
        if kept is not None:
            staged_uploads.discard(kept.token)
        form.staged, form.fresh_pdf = None, pdf
        form.staged_pdf.data = ""
        return pdf
    form.staged = kept
    form.staged_pdf.data = kept.token if kept else ""
    return staged_uploads.load(kept, user.id, now) if kept else None


def keep_for_retry(form: BidForm, user: User, now: datetime) -> None:
    """The form goes back to the team: a new upload that passed its checks waits for the corrected submission."""
    if form.fresh_pdf is not None and form.staged is None:
        form.staged = staged_uploads.keep(form.fresh_pdf, user.id, now)
        form.staged_pdf.data = form.staged.token


def saved(form: BidForm) -> None:
    """The bid committed with the kept file: it is no longer waiting."""
    if form.staged is not None:
        staged_uploads.discard(form.staged.token)


def restore(form: BidForm, withdrawn: Bid, user: User, now: datetime) -> None:
    """Fill the new report's form from a withdrawn one: its text fields and quote, and its PDF (kept for the
    submission, read again for the anonymity check) when the file is still stored."""
    for name in ("approach", "innovation", "indicators", "plan", "price_wan", "duration_months",
                 "ip_background", "strengths"):
        form[name].data = getattr(withdrawn, name)
    path = uploads.path_of(withdrawn.pdf_stored_name) if withdrawn.pdf_stored_name else None
    if path is None or not path.is_file():
        return
    try:
        pdf = uploads.check_pdf(io.BytesIO(path.read_bytes()), withdrawn.pdf_original_name or "report.pdf",
                                read_text=True)
    except DomainError:
        return  # a file that no longer passes the checks is not offered again
    form.staged = staged_uploads.keep(pdf, user.id, now)
    form.staged_pdf.data = form.staged.token
