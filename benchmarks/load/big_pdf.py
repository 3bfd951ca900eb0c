"""A valid one-page PDF of about 5 MB for the load benchmark: a page showing one large image.

Standard library only: the locustfile imports it in the benchmark's own virtualenv. The image is
deterministic noise compressed with Flate (incompressible, like the scans in a real challenge report),
so the file is as big on the wire as on disk. Each team's copy differs by a fixed-width marker in the
page's text, so every stored file has its own SHA-256 and a mix-up between teams would be noticed.
"""
from __future__ import annotations

import hashlib
import random
import zlib

MARKER = b"TEAM-XXXXXXXX"  # replaced by team_copy() with a label of the same width
WIDTH, HEIGHT = 1024, 1700  # RGB: 5,222,400 bytes of pixels, about the same once compressed


def _image_data(seed: int = 7) -> bytes:
    """Deterministic RGB noise, Flate-compressed (it stays about as large as the raw pixels)."""
    pixels = random.Random(seed).randbytes(WIDTH * HEIGHT * 3)
    return zlib.compress(pixels, 1)


def build(seed: int = 7) -> bytes:
    """The template PDF: an A4 page with a caption (holding MARKER) over a full-page RGB image."""
    image = _image_data(seed)
    content = (b"q 515 0 0 700 40 80 cm /Im0 Do Q\n"
               b"BT /F1 14 Tf 40 800 Td (Load benchmark challenge report " + MARKER + b") Tj ET")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
        b"/Resources<</Font<</F1 5 0 R>>/XObject<</Im0 6 0 R>>>>/Contents 4 0 R>>",
        b"<</Length %d>>\nstream\n" % len(content) + content + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace/DeviceRGB/BitsPerComponent 8"
        b"/Filter/FlateDecode/Length %d>>\nstream\n" % (WIDTH, HEIGHT, len(image)) + image + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def team_copy(template: bytes, label: str) -> bytes:
    """The template with MARKER replaced by `label` (padded to the same width: the xref offsets hold)."""
    tag = label.encode("ascii")[:len(MARKER)].ljust(len(MARKER), b"-")
    return template.replace(MARKER, tag, 1)


def sha256(content: bytes) -> str:
    """The hex SHA-256 of the content, as the app stores it."""
    return hashlib.sha256(content).hexdigest()
