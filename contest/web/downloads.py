"""Every file the app hands out leaves through send_download(): as an attachment no browser renders,
sniffs or caches, under an RFC 5987 (UTF-8) file name.

Files are reached only through the object that owns them (a bid, a contract, an edition): the views
find the object for the user first, then give its file to send_download(), or to send_recorded() for the
files whose every download goes into the audit trail (bids and contracts).
"""
from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from flask import Response, abort, send_file
from flask_login import current_user

from ..extensions import db
from ..services.files.mime import CSV, PDF, XLSX, ZIP, with_extension  # noqa: F401  (views take them from here)
from ..services.records import audit

# A downloaded file is never a page: it may load nothing and run nothing, even if opened in the browser.
DOWNLOAD_CSP = "default-src 'none'"
FALLBACK_STEM = "download"


def _clean(name: str) -> str:
    """No path, no control characters, no quotes: a name a header and a file system take as it is."""
    name = re.split(r"[/\\]", name or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"').strip()
    return name[:180] if name.strip(".") else FALLBACK_STEM


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9._-]+", "_", plain).strip("._-")


def content_disposition(filename: str) -> str:
    """attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded name> (RFC 6266 / 5987)."""
    name = _clean(filename)
    path = PurePosixPath(name)
    stem, suffix = _ascii(path.stem) or FALLBACK_STEM, _ascii(path.suffix)
    fallback = f"{stem}.{suffix}" if suffix else stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def send_download(source: bytes | Path, filename: str, mimetype: str, *, etag: str | None = None) -> Response:
    """The file (bytes, or a stored file: 404 when it is gone) as a download with the protective headers."""
    if isinstance(source, Path):
        if not source.is_file():
            abort(404)
        response = send_file(source, mimetype=mimetype, conditional=True, etag=etag or True, max_age=0)
    else:
        response = send_file(io.BytesIO(source), mimetype=mimetype, conditional=True, etag=etag or False,
                             max_age=0)
    response.headers["Content-Disposition"] = content_disposition(with_extension(_clean(filename), mimetype))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    response.headers["Cache-Control"] = "private, no-store"  # bids, contracts, scores: commercial secrets
    return response


def send_recorded(action: str, target, source: bytes | Path, filename: str, mimetype: str, *,
                  etag: str | None = None) -> Response:
    """send_download(), recorded in the audit trail as `action` on `target` by the current user.

    A download changes nothing else, so its audit event is committed here, once the file is known to exist.
    """
    response = send_download(source, filename, mimetype, etag=etag)
    audit.record(current_user._get_current_object(), action, target, {"file": filename})
    db.session.commit()
    return response
