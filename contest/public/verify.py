"""Public verification of an issued contract, reached from the QR code printed on it.

Besides the registered details, the page compares a PDF the visitor uploads with the issued one (SHA-256 of the
bytes): a registrar or a bank holding a copy learns whether it is the very file issued. Nothing uploaded is kept.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _

from ..services.contracts.document import contract_verification
from . import bp

UPLOAD_FIELD = "pdf"


@bp.get("/contracts/verify/<token>")
def verify_contract(token: str):
    """Anyone holding a printed contract checks its number, parties, amount, status and the issued PDF's SHA-256."""
    found = contract_verification(token)
    if found is None:
        abort(404)
    return render_template("public/verify.html", contract=found)


@bp.post("/contracts/verify/<token>")
def verify_contract_file(token: str):
    """Compare an uploaded PDF with the issued one: identical bytes or not. The file is read, hashed and dropped."""
    found = contract_verification(token)
    if found is None:
        abort(404)
    content, problem, status = _uploaded_pdf()
    if problem:
        return render_template("public/verify.html", contract=found, upload_error=problem), status
    digest = hashlib.sha256(content).hexdigest()
    identical = bool(found["sha256"]) and hmac.compare_digest(digest, found["sha256"])
    return render_template("public/verify.html", contract=found, checked={
        "name": (request.files[UPLOAD_FIELD].filename or "")[:200], "sha256": digest, "identical": identical})


def _uploaded_pdf() -> tuple[bytes, str | None, int]:
    """The uploaded file's bytes, or why it is refused (a Chinese message) and the status to answer with."""
    upload = request.files.get(UPLOAD_FIELD)
    limit = int(current_app.config["VERIFY_UPLOAD_MAX_BYTES"])
    content = upload.stream.read(limit + 1) if upload else b""
    if not content:
        return b"", _("请选择要核对的合同 PDF 文件。"), 400
    if len(content) > limit:
        return b"", _("文件超过 %(mb)s MB，不是本平台出具的合同文件。", mb=limit // (1024 * 1024)), 413
    if b"%PDF-" not in content[:1024]:
        return b"", _("所选文件不是 PDF 文件，请上传从本平台下载或收到的合同 PDF。"), 400
    return content, None, 200
