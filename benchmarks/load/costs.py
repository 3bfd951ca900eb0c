"""What the expensive parts of a request cost on their own, timed in one process on an idle moment.

Log-in checks a scrypt hash; an upload parses a 5 MB multipart body, checks the PDF with pypdf (and
regular expressions for polyglots), hashes it, writes it; every commit waits for an fsync of the WAL.
Comparing these with the latencies under load tells where the time goes.
"""
from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import big_pdf
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from contest.services.files.pdf_check import inspect_pdf


def _median_ms(action, repeat: int) -> float:
    """The median wall time of `repeat` calls, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1)


def _parse_multipart(body: bytes, content_type: str) -> None:
    """Parse a multipart body as a Flask request would and read its file."""
    environ = EnvironBuilder(method="POST", data=body, content_type=content_type).get_environ()
    request = Request(environ)
    request.files["pdf"].read()


def _write_fsync(folder: Path, content: bytes) -> None:
    """Write the content to a new file and wait for it to reach the disk."""
    path = folder / "probe.bin"
    with open(path, "wb") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())
    path.unlink()


def measure(folder: Path) -> list[tuple[str, float]]:
    """(what, median milliseconds) for each part; `folder` is on the disk PostgreSQL and the uploads use."""
    pdf = big_pdf.team_copy(big_pdf.build(), "probe")
    hashed = generate_password_hash("bench-pass-2024")
    boundary = "----bench-probe"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="pdf"; filename="a.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n").encode() + pdf + f"\r\n--{boundary}--\r\n".encode()
    with tempfile.TemporaryDirectory(dir=folder) as probe:
        where = Path(probe)
        return [
            ("log-in: check_password_hash (scrypt, werkzeug default)",
             _median_ms(lambda: check_password_hash(hashed, "bench-pass-2024"), 5)),
            ("upload: parse the 5 MB multipart body (werkzeug)",
             _median_ms(lambda: _parse_multipart(body, f"multipart/form-data; boundary={boundary}"), 5)),
            ("upload: inspect_pdf (pypdf parse + polyglot scan) of the 5 MB PDF", _median_ms(lambda: inspect_pdf(pdf), 5)),
            ("upload: SHA-256 of 5 MB", _median_ms(lambda: big_pdf.sha256(pdf), 5)),
            ("upload: write 5 MB and fsync it", _median_ms(lambda: _write_fsync(where, pdf), 5)),
            ("commit: write 8 kB and fsync it (a WAL flush)", _median_ms(lambda: _write_fsync(where, b"x" * 8192), 20)),
        ]
