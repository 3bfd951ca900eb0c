"""The one table of the file types the app hands out: downloads (contest/web/downloads.py) and job results."""
from __future__ import annotations

PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"

# The extension of each type: a file leaves (and is named to its owner) with the extension of the type it was
# checked to be, whatever its uploader called it ("report.gpj.exe" is handed out as "report.gpj.pdf").
EXTENSIONS = {PDF: ".pdf", CSV: ".csv", XLSX: ".xlsx", ZIP: ".zip"}


def with_extension(name: str, mimetype: str) -> str:
    """The name ending with the type's extension: another final extension replaced, a missing one added."""
    extension = EXTENSIONS.get(mimetype)
    if extension is None or name.lower().endswith(extension):
        return name
    stem, dot, suffix = name.rpartition(".")
    keep = stem if dot and stem and " " not in suffix and len(suffix) <= 10 else name
    return keep + extension
