"""seed-demo's contract PDFs, rendered once per installation rather than on every seeding.

Rendering CIC8-NB's 19 contracts with WeasyPrint was four fifths of seed-demo's time. What a contract
prints repeats from one seeding to the next (the same terms, numbers and dates, on the demo clock), except
its verification token, which issue_contract() draws at random. So, in seed-demo only:

- the token is derived from the contract's number and the app's SECRET_KEY (HMAC-SHA256, 43 characters
  like the random one): a contract gets the same token on every seeding of one installation, and nobody
  without the key can work it out;
- the PDF made from a contract's HTML is kept as instance/cache/contracts/<key>.pdf, the key being the
  SHA-256 of the HTML (the whole render context through the template: every printed value, the QR code's
  URL with its token), of the stylesheets it links, of the WeasyPrint and pydyf versions and of the PDF
  variant (PDF/A-3b). A hit returns the unsigned bytes WeasyPrint gave for that very input (its output is
  deterministic); issue_contract() signs them afterwards, so the signature (and the stored PDF's SHA-256)
  is new on each seeding.

Delete the folder to render afresh. DEMO_PDF_CACHE names another folder (one shared by test runs), or ""
for no cache.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from flask import current_app


STYLESHEET = re.compile(r'href="/static/([^"?#]+\.css)"')
RENDERERS = ("weasyprint", "pydyf")


def verify_token(number: str) -> str:
    """The demo contract's verification token: HMAC-SHA256 of its number under the app's secret key."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, f"contest-demo-contract:{number}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def cache_folder() -> Path | None:
    """Where rendered contracts are kept: DEMO_PDF_CACHE, or instance/cache/contracts; None when disabled."""
    setting = current_app.config.get("DEMO_PDF_CACHE")
    if setting == "":
        return None
    return Path(setting) if setting else Path(current_app.instance_path) / "cache" / "contracts"


class RenderedContracts:
    """HTML → PDF through the cache folder: read when this input was rendered before, else rendered and kept."""

    def __init__(self, folder: Path, static_folder: str) -> None:
        self.folder, self.static = folder, Path(static_folder)
        self.hits = self.misses = 0
        from ..pdf.contract import PDF_VARIANT

        versions = ";".join(f"{name}={_version(name)}" for name in RENDERERS) + f";variant={PDF_VARIANT}"
        self.salt = hashlib.sha256(versions.encode()).digest()

    def key(self, html: str) -> str:
        digest = hashlib.sha256(self.salt)
        for name in sorted(set(STYLESHEET.findall(html))):
            path = self.static / name
            digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"") + b"\0")
        digest.update(html.encode())
        return digest.hexdigest()

    def __call__(self, html: str) -> bytes:
        path = self.folder / f"{self.key(html)}.pdf"
        try:
            content = path.read_bytes()
        except OSError:
            content = b""
        if content.startswith(b"%PDF-"):
            self.hits += 1
            return content
        from ..pdf.contract import pdf_from_html

        content = pdf_from_html(html)
        self.misses += 1
        self._keep(path, content)
        return content

    def _keep(self, path: Path, content: bytes) -> None:
        """Written under a temporary name, then renamed: a reader never finds half a file."""
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temporary, path)
        except OSError:  # a read-only or full instance folder: the seed goes on, uncached
            current_app.logger.warning("could not keep the rendered contract in %s", self.folder)
            if temporary:
                Path(temporary).unlink(missing_ok=True)


@contextmanager
def rendered_once() -> Iterator[RenderedContracts | None]:
    """Within the block, contract PDFs come from the cache folder when their input was rendered before."""
    folder = cache_folder()
    if folder is None:
        yield None
        return
    from ..pdf.contract import rendering_with

    cache = RenderedContracts(folder, current_app.static_folder)
    with rendering_with(cache):
        yield cache


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"
