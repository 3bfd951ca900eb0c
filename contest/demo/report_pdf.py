"""A small, valid one-page PDF for a demo challenge report, built by hand (no renderer needed).

The Chinese text uses the standard Adobe-GB1 font STSong-Light with the UniGB-UCS2-H encoding, which PDF
viewers provide without embedding. The output is deterministic: the same lines give the same bytes, so a
missing demo file can be written again with the checksum stored in the database.
"""
from __future__ import annotations

import textwrap

LINE_WIDTH = 34  # characters per line at 12 pt on an A4 page with 72 pt margins


def _hex(text: str) -> str:
    return "<" + text.encode("utf-16-be").hex().upper() + ">"


def _content(title: str, lines: list[str]) -> bytes:
    ops = ["BT", "/F1 20 Tf", "72 770 Td", f"{_hex(title)} Tj", "/F1 12 Tf", "0 -20 Td"]
    for line in lines:
        for part in textwrap.wrap(line, LINE_WIDTH) or [""]:
            ops += ["0 -20 Td", f"{_hex(part)} Tj"]
    ops.append("ET")
    return "\n".join(ops).encode("ascii")


def build_pdf(title: str, lines: list[str]) -> bytes:
    """One A4 page with a title and wrapped lines of text."""
    stream = _content(title, lines)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
        b"<</Length %d>>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type0/BaseFont/STSong-Light/Encoding/UniGB-UCS2-H/DescendantFonts[6 0 R]>>",
        b"<</Type/Font/Subtype/CIDFontType0/BaseFont/STSong-Light"
        b"/CIDSystemInfo<</Registry(Adobe)/Ordering(GB1)/Supplement 2>>/FontDescriptor 7 0 R/DW 1000/W[1 95 500]>>",
        b"<</Type/FontDescriptor/FontName/STSong-Light/Flags 6/FontBBox[-25 -254 1000 880]"
        b"/ItalicAngle 0/Ascent 880/Descent -120/CapHeight 880/StemV 93>>",
        b"<</Title" + _hex(title).replace("<", "<FEFF", 1).encode("ascii") + b"/Producer(contest seed-demo)>>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<</Size %d/Root 1 0 R/Info 8 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
